import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandLog } from '../../bench/auditor/expand-log';
import { demoDatabase, readEvents, runAudit, tempDir, writeLog } from './support/auditor-harness';
import { type Expectation, openForTampering, prng, tamper, TAMPERINGS } from './support/tamper';

/** Per kind of log: data stored as canonical text (as stores write it now) or in JSON.stringify's order. */
const RUNS = 120;

/**
 * The tamper suite: a realistic log (the demo repeated, as the API records it), a published
 * checkpoint, then many random edits of the SQLite file behind the store's back. Plain verify must
 * name the first bad position of every edit it can see; truncation and a consistently re-hashed
 * stream must pass plain verify and fail only against the checkpoint.
 */
describe.each([
  ['canonical data text', true],
  ['older data text (JSON.stringify order)', false],
])('verify catches tampering of the SQLite file, %s', (_label, canonicalData) => {
  let dir: string;
  let pristine: string;
  let env: Record<string, string>;
  let checkpointFile: string;
  let checkpointLast: string;

  beforeAll(async () => {
    dir = tempDir('newsroom-tamper-');
    const demo = join(dir, 'demo.db');
    await demoDatabase(demo);
    const templates = await readEvents(demo);
    pristine = join(dir, 'pristine.db');
    await writeLog(pristine, expandLog(templates, templates.length * 3, { canonicalData }));
    const keyFile = join(dir, 'signing.key');
    const publicKey = (await runAudit(['keygen', '--out', keyFile], {})).stdout;
    writeFileSync(join(dir, 'public.pem'), publicKey);
    env = { NEWSROOM_DB: pristine, NEWSROOM_SIGNING_KEY_FILE: keyFile };
    checkpointFile = join(dir, 'checkpoint.json');
    const checkpoint = await runAudit(['checkpoint', '--out', checkpointFile], env);
    expect(checkpoint.code).toBe(0);
    checkpointLast = JSON.parse(checkpoint.stdout).lastPosition;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function verify(db: string, against: boolean) {
    const argv = ['verify', '--json'];
    if (against) argv.push('--against', checkpointFile, '--public-key', join(dir, 'public.pem'));
    const result = await runAudit(argv, { NEWSROOM_DB: db });
    return { code: result.code, report: JSON.parse(result.stdout) };
  }

  it('the untouched log passes, also against its checkpoint', async () => {
    expect((await verify(pristine, false)).code).toBe(0);
    expect((await verify(pristine, true)).report).toMatchObject({ ok: true, extends: {} });
  });

  it(`names the right kind and first position over ${RUNS} random tamperings`, async () => {
    const failures: unknown[] = [];
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= RUNS; seed += 1) {
      const random = prng(seed);
      const kind = TAMPERINGS[(seed - 1) % TAMPERINGS.length]!;
      const file = join(dir, `tampered-${seed}.db`);
      copyFileSync(pristine, file);
      const db = openForTampering(file);
      let expected: Expectation;
      try {
        expected = tamper(db, kind, random, checkpointLast);
      } finally {
        db.close();
      }
      const plain = await verify(file, false);
      const against = await verify(file, true);
      const got = {
        plain:
          plain.code === 0
            ? 'ok'
            : { kind: plain.report.problem?.kind, position: plain.report.problem?.position },
        against: { kind: against.report.problem?.kind, position: against.report.problem?.position },
      };
      const codesAgree = (expected.plain === 'ok') === (plain.code === 0) && against.code === 1;
      if (!codesAgree || JSON.stringify(got) !== JSON.stringify(expected)) {
        failures.push({
          seed,
          kind,
          expected,
          got,
          detail: plain.report.problem?.detail ?? against.report.problem?.detail,
        });
      }
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      rmSync(file, { force: true });
    }
    // Each failure carries its seed: `tamper(db, kind, prng(seed))` replays it exactly.
    expect(failures).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([...TAMPERINGS].sort());
  }, 300_000);
});
