import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expandLog } from '../../bench/auditor/expand-log';
import {
  demoDatabase,
  dumpReadModels,
  readEvents,
  runAudit,
  tempDir,
  writeLog,
} from './support/auditor-harness';

/** 30,000 in the default run (about 40 s here); `ROUNDTRIP_EVENTS=1000000` for a long one. */
const EVENTS = Number(process.env.ROUNDTRIP_EVENTS ?? 30_000);

/** Export → import of a generated log: same log bytes, tree head and read models. */
describe(`export and import of a generated ${EVENTS}-event log`, () => {
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('newsroom-roundtrip-');
    const demo = join(dir, 'demo.db');
    await demoDatabase(demo);
    const templates = await readEvents(demo);
    expect(await writeLog(join(dir, 'source.db'), expandLog(templates, EVENTS))).toBe(EVENTS);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips with identical hashes, tree head and read models', async () => {
    const keyFile = join(dir, 'signing.key');
    await runAudit(['keygen', '--out', keyFile], {});
    const source = { NEWSROOM_DB: join(dir, 'source.db'), NEWSROOM_SIGNING_KEY_FILE: keyFile };
    const target = { ...source, NEWSROOM_DB: join(dir, 'target.db') };
    const file = join(dir, 'log.ndjson');

    expect((await runAudit(['export', '--out', file], source)).code).toBe(0);
    expect((await runAudit(['import', file], target)).code).toBe(0);

    const before = JSON.parse((await runAudit(['checkpoint'], source)).stdout);
    const after = JSON.parse((await runAudit(['checkpoint'], target)).stdout);
    expect(after.treeSize).toBe(String(EVENTS));
    expect({ ...after, timestamp: '', signature: '' }).toEqual({ ...before, timestamp: '', signature: '' });
    // The checkpoint of the source also verifies the imported copy.
    const sth = join(dir, 'source-head.json');
    await runAudit(['checkpoint', '--out', sth], source);
    expect((await runAudit(['verify', '--against', sth], target)).code).toBe(0);

    const again = join(dir, 'again.ndjson');
    await runAudit(['export', '--out', again], target);
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);

    const head = before.lastPosition as string;
    expect(
      (
        await runAudit(
          ['replay', '--as-of', head, '--out', join(dir, 'rm-source.db'), '--format', 'ndjson'],
          source,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await runAudit(
          ['replay', '--as-of', head, '--out', join(dir, 'rm-target.db'), '--format', 'ndjson'],
          target,
        )
      ).code,
    ).toBe(0);
    const expected = dumpReadModels(join(dir, 'rm-source.db'));
    // The demo's claims copied once per ~100 events: the read models are not trivially small.
    expect(expected.rm_claims!.length).toBeGreaterThan(EVENTS / 100);
    expect(dumpReadModels(join(dir, 'rm-target.db'))).toEqual(expected);
  }, 600_000);
});
