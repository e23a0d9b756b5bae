import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './config-error';

/** The file a `*_FILE` variable names; one that cannot be read is a configuration error. */
export function readSecretFile(name: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${name} ${path} cannot be read`);
  }
}

/**
 * A key kept in a file beside the local database, made on the first start and read on the next
 * (so it survives restarts), readable by its owner only: for `npm start` on one machine only.
 */
export function localKeyFile(
  sqlitePath: string,
  fileName: string,
  newKey: () => string,
): { key: string; file: string } {
  const file = resolve(dirname(sqlitePath), fileName);
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(dirname(file), { recursive: true });
  const key = newKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file };
}
