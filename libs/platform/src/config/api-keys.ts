import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '../auth/roles';
import { ConfigError } from './config-error';
import { localKeyFile } from './secret-files';

export interface ApiKeyEntry {
  key: string;
  role: Role;
  /** What goes into event metadata and logs as the principal: a name, never the key. */
  principal: string;
}

/**
 * `key:role` or `key:role:principal`, comma- or newline-separated. Without a principal name, one is
 * derived from the role and the key's position, so the key itself never reaches the log.
 */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const seen = new Set<string>();
  const items = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  items.forEach((item, index) => {
    const [key, role, principal] = item.split(':').map((s) => s.trim());
    if (!key || !role) throw new ConfigError(`API key entry #${index + 1} is not "key:role"`);
    if (!(ROLES as readonly string[]).includes(role))
      throw new ConfigError(
        `API key entry #${index + 1} has unknown role "${role}" (roles: ${ROLES.join(', ')})`,
      );
    if (key.length < 8) throw new ConfigError(`API key entry #${index + 1} is shorter than 8 characters`);
    if (seen.has(key)) throw new ConfigError(`API key entry #${index + 1} repeats an earlier key`);
    seen.add(key);
    entries.push({ key, role: role as Role, principal: principal || `${role}-${index + 1}` });
  });
  return entries;
}

/** The admin key `npm start` makes on the embedded store when none is configured. */
export function localAdminKey(sqlitePath: string): { key: string; file: string } {
  return localKeyFile(sqlitePath, 'local-admin.key', () => `local-${randomBytes(24).toString('base64url')}`);
}
