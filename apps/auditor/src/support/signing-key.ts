import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { loadSigningKey, loadVerifyKey, publicKeyOf } from '@app/integrity';
import { CliError } from './cli-io';

/**
 * The log's Ed25519 signing key, from NEWSROOM_SIGNING_KEY (PEM or base64 seed) or
 * NEWSROOM_SIGNING_KEY_FILE: never from the log itself, and never echoed in an error message.
 */
export function signingKey(env: Record<string, string | undefined>): KeyObject {
  const text = env.NEWSROOM_SIGNING_KEY ?? readSecretFile(env.NEWSROOM_SIGNING_KEY_FILE);
  if (text === undefined) {
    throw new CliError(
      'no signing key: set NEWSROOM_SIGNING_KEY or NEWSROOM_SIGNING_KEY_FILE (create one with `audit keygen --out <file>`)',
    );
  }
  try {
    return loadSigningKey(text);
  } catch {
    throw new CliError('the signing key is not an Ed25519 PKCS#8 PEM or a base64 32-byte seed');
  }
}

function readSecretFile(path: string | undefined): string | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`NEWSROOM_SIGNING_KEY_FILE ${path} cannot be read`);
  }
}

/** An auditor's key: a public key file if given, else the public half of the configured signing key. */
export function verifyKey(file: string | undefined, env: Record<string, string | undefined>): KeyObject {
  if (file === undefined) return publicKeyOf(signingKey(env));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`public key file ${file} cannot be read`);
  }
  try {
    return loadVerifyKey(text);
  } catch (error) {
    throw new CliError(`${file} is not an Ed25519 public key: ${(error as Error).message}`);
  }
}

export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`${what} ${file} cannot be read`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${what} ${file} is not JSON`);
  }
}
