import { randomBytes } from 'node:crypto';
import { ConfigError } from './config-error';
import { localKeyFile } from './secret-files';

/**
 * The shape only (each entry 32 bytes, hex or base64), so a mistyped key is a configuration error
 * at start (exit 2) rather than a failure later; @app/protection parses them. Never echoes a key.
 */
export function checkMasterKeys(text: string): string {
  const entries = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  entries.forEach((entry, index) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(entry) ? 32 : Buffer.from(entry, 'base64url').length;
    if (bytes !== 32 || !/^[A-Za-z0-9+/_=-]+$/.test(entry)) {
      throw new ConfigError(
        `master key #${index + 1} (NEWSROOM_MASTER_KEY, then NEWSROOM_MASTER_KEY_FILE) is not 32 bytes as 64 hex digits or base64`,
      );
    }
  });
  if (entries.length === 0) throw new ConfigError('NEWSROOM_MASTER_KEY_FILE holds no key');
  return text;
}

/** Beside the local database, as the local admin key: for `npm start` on one machine only. */
export function localMasterKey(sqlitePath: string): string {
  return localKeyFile(sqlitePath, 'local-master.key', () => randomBytes(32).toString('hex')).key;
}
