import { randomBytes } from 'node:crypto';

/** Test helpers for the KurrentDB tier: never imported by production code. */

/**
 * The server the KurrentDB tier runs against. No default: this machine (and CI) has no KurrentDB,
 * so without it the tier is skipped with a message, in CI too (decision 0006, README).
 */
export const KURRENTDB_TEST_URL = process.env.KURRENTDB_URL;

/** `describe` with a server; without one a loud skip that says how to run it. */
export function describeWithKurrentDb(name: string, body: (url: string) => void): void {
  const url = KURRENTDB_TEST_URL;
  if (url !== undefined && url.length > 0) {
    describe(name, () => body(url));
    return;
  }
  console.warn(
    `\n--- SKIPPING "${name}": KURRENTDB_URL is not set, and no KurrentDB server runs here (nor in CI). ` +
      "Against a server: KURRENTDB_URL='kurrentdb://127.0.0.1:2113?tls=false' npx jest libs/event-store/src/kurrentdb\n",
  );
  describe.skip(name, () => body(''));
}

/** A log of its own for each test: a fresh prefix on the shared server. */
export function uniquePrefix(): string {
  return `t${process.pid}_${randomBytes(6).toString('hex')}`;
}
