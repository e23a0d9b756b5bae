import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROTECTED_PLACEHOLDER_PREFIX,
  protectedSourcePlaceholder,
  type SourceIdentity,
  SourceIdentityProtection,
} from '@app/claims';
import { roleMay } from '@app/platform';
import { ProtectionError } from '@app/protection';
import type { AuthedRequest } from '../http/request-context';

/** Reads that may name a protected source to a permitted reader; never the ClaimReview export or the log. */
const REVEALING_PATH = /^\/(claims|sources)(\/|\?|$)/;
const NEVER_REVEALING = /\/claim-review(\?|$)|\/stream(\?|$)/;
/** Keys whose values name a source that a placeholder may stand for. */
const ID_KEYS = new Set(['sourceId', 'voice', 'affiliationId']);

/**
 * Read models hold only placeholders for protected sources. For a reader with `sources:identity`
 * (editor, admin), a claim or source read is rewritten as it leaves: every placeholder of a source
 * the answer names becomes that source's name, opened from the log with its key, and a protected
 * source record gets its `nameLatin` and `role` back. Done on the serialized answer (an onSend
 * hook), so every read route, including the ones answering pre-serialized JSON, is covered by one
 * rule. Everyone else — and every export, the event log and the feeds — gets the placeholders.
 */
@Injectable()
export class IdentityReveal {
  private readonly logger = new Logger('IdentityReveal');

  constructor(private readonly identity: SourceIdentityProtection) {}

  install(fastify: FastifyInstance): void {
    // A callback hook, not an async one: nearly every answer (every write among them) is passed on
    // as it is, without a promise and a microtask turn per request.
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      if (!this.applies(request, reply, payload)) return done(null, payload);
      // The current claim read answers its stored bytes (claimViewUtf8): read them as text here.
      const json = Buffer.isBuffer(payload) ? payload.toString('utf8') : (payload as string);
      this.reveal(json).then(
        (revealed) => {
          if (revealed === json) return done(null, payload);
          // An answer naming a protected source is kept by no cache (a shared browser, a proxy), and
          // so never revalidated with an ETag that does not cover the names.
          void reply.header('vary', 'Authorization').header('cache-control', 'private, no-store');
          done(null, revealed);
        },
        (error: Error) => done(error),
      );
    });
  }

  private applies(request: AuthedRequest, reply: FastifyReply, payload: unknown): boolean {
    const principal = request.principal;
    return (
      request.method === 'GET' &&
      reply.statusCode === 200 &&
      principal !== undefined &&
      roleMay(principal.role, 'sources:identity') &&
      REVEALING_PATH.test(request.url) &&
      !NEVER_REVEALING.test(request.url) &&
      (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
      payload.includes(PROTECTED_PLACEHOLDER_PREFIX)
    );
  }

  /** The same JSON with the identities of the protected sources it names; unchanged if none opens. */
  async reveal(json: string): Promise<string> {
    const body: unknown = JSON.parse(json);
    const ids = new Set<string>();
    walk(body, (node) => {
      for (const [key, value] of Object.entries(node)) {
        if (ID_KEYS.has(key) && typeof value === 'string') ids.add(value);
      }
    });
    const named = [...ids].filter((id) => json.includes(JSON.stringify(protectedSourcePlaceholder(id))));
    const identities = new Map<string, SourceIdentity>();
    for (const id of named) {
      const identity = await this.opened(id);
      if (identity) identities.set(protectedSourcePlaceholder(id), identity);
    }
    if (identities.size === 0) return json;
    return JSON.stringify(body, (key, value: unknown) => {
      if (typeof value === 'string') return identities.get(value)?.name ?? value;
      if (isRecord(value) && value.protected === true && typeof value.sourceId === 'string') {
        const identity = identities.get(protectedSourcePlaceholder(value.sourceId));
        if (identity) return { ...value, ...identity };
      }
      return value;
    });
  }

  /**
   * A key that cannot be opened (a master key missing from the configuration, say) degrades the
   * read to the placeholder rather than failing it; the log line names the source and the code only.
   */
  private async opened(sourceId: string): Promise<SourceIdentity | undefined> {
    try {
      return await this.identity.identityOf(sourceId);
    } catch (error) {
      if (!(error instanceof ProtectionError)) throw error;
      this.logger.warn(`identity of protected source ${sourceId} not shown: ${error.code}`);
      return undefined;
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(node: unknown, visit: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (isRecord(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}
