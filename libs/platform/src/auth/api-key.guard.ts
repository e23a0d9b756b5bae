import { hash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type Permission, type Role, roleMay } from './roles';

export interface Principal {
  name: string;
  role: Role;
  /** Scopes idempotency keys to the caller without keeping the key itself. */
  keyDigest: string;
}

export const PERMISSION_KEY = 'newsroom:permission';
/** The permission a route needs; routes without one are public (health, metrics, docs). */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

interface KnownKey {
  digest: Buffer;
  /** The one principal this key names, made once: requests share it (it is frozen). */
  principal: Readonly<Principal>;
}

/** One-shot SHA-256: no Hash object per request (the guard hashes every authenticated request's key). */
const digest = (key: string): Buffer => hash('sha256', key, 'buffer');

/**
 * API keys to principals, for every transport (HTTP's guard, the NATS command server): the same
 * keys, roles and answers (401 without a known key, 403 for a role that may not).
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly keys: KnownKey[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.apiKeys.map((k) => {
      const keyDigest = digest(k.key);
      const principal = { name: k.principal, role: k.role, keyDigest: keyDigest.toString('hex') };
      return { digest: keyDigest, principal: Object.freeze(principal) };
    });
  }

  /** The principal an `Authorization: Bearer <key>` header names, allowed `permission`; or AuthError. */
  authorize(header: string | string[] | undefined, permission: Permission): Principal {
    const principal = this.authenticate(header);
    if (!roleMay(principal.role, permission)) {
      throw new AuthError(403, `the ${principal.role} role may not ${permission}`);
    }
    return principal;
  }

  private authenticate(header: string | string[] | undefined): Principal {
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
    if (!match?.[1]) throw new AuthError(401, 'send an API key as "Authorization: Bearer <key>"');
    const presented = digest(match[1]);
    // Compare digests in constant time, and against every key, so timing says nothing about keys.
    let found: KnownKey | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, presented)) found = key;
    if (!found) throw new AuthError(401, 'the API key is not known');
    // The digests matched, so the key's principal (its keyDigest is this digest, in hex) is the answer.
    return found.principal;
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly authenticator: ApiKeyAuthenticator;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.authenticator = new ApiKeyAuthenticator(config);
  }

  canActivate(context: ExecutionContext): boolean {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!permission) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    request.principal = this.authenticator.authorize(request.headers.authorization, permission);
    return true;
  }
}
