import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDatabase, dumpReadModels, readEvents, runAudit, tempDir } from './support/auditor-harness';

/** The auditor CLI end to end, on the Raqqa demo as the API records it. */
describe('audit CLI on the demo', () => {
  let dir: string;
  let env: Record<string, string>;
  let publicKeyFile: string;

  beforeAll(async () => {
    dir = tempDir();
    await demoDatabase(join(dir, 'demo.db'));
    const keyFile = join(dir, 'signing.key');
    const keygen = await runAudit(['keygen', '--out', keyFile], {});
    expect(keygen.code).toBe(0);
    publicKeyFile = join(dir, 'public.pem');
    writeFileSync(publicKeyFile, keygen.stdout);
    env = { NEWSROOM_DB: join(dir, 'demo.db'), NEWSROOM_SIGNING_KEY_FILE: keyFile };
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keygen writes a private key only its owner can read, and prints only the public key', () => {
    expect(statSync(join(dir, 'signing.key')).mode & 0o777).toBe(0o600);
    const publicPem = readFileSync(publicKeyFile, 'utf8');
    expect(publicPem).toContain('BEGIN PUBLIC KEY');
    expect(publicPem).not.toContain('PRIVATE');
  });

  it('keygen refuses to overwrite a key', async () => {
    const result = await runAudit(['keygen', '--out', join(dir, 'signing.key')], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists');
  });

  it('verify passes the demo, in words and in JSON', async () => {
    const human = await runAudit(['verify'], env);
    expect(human).toMatchObject({ code: 0 });
    expect(human.stdout).toMatch(/^verify: PASS: \d+ events in \d+ streams/);
    const machine = await runAudit(['verify', '--json'], env);
    expect(JSON.parse(machine.stdout)).toMatchObject({ ok: true, lastPosition: expect.any(String) });
    expect(machine.stderr).toBe('');
  });

  it('checkpoint signs the verified head, and verify --against accepts it', async () => {
    const sthFile = join(dir, 'sth.json');
    const checkpoint = await runAudit(['checkpoint', '--out', sthFile], env);
    expect(checkpoint.code).toBe(0);
    const head = JSON.parse(checkpoint.stdout);
    const report = JSON.parse((await runAudit(['verify', '--json'], env)).stdout);
    expect(head).toMatchObject({
      algorithm: 'Ed25519',
      rootHash: report.rootHash,
      treeSize: String(report.events),
    });
    const against = await runAudit(
      ['verify', '--against', sthFile, '--public-key', publicKeyFile, '--json'],
      env,
    );
    expect(JSON.parse(against.stdout)).toMatchObject({ ok: true, extends: { treeSize: head.treeSize } });
  });

  it('never prints the signing key', async () => {
    const keyText = readFileSync(join(dir, 'signing.key'), 'utf8');
    const body = keyText.split('\n')[1]!;
    for (const argv of [['checkpoint'], ['verify'], ['proof', 'nope']]) {
      const result = await runAudit(argv, env);
      expect(result.stdout + result.stderr).not.toContain(body);
    }
  });

  it('verify --against refuses a tree head whose signature does not verify', async () => {
    const head = JSON.parse((await runAudit(['checkpoint'], env)).stdout);
    const forged = join(dir, 'forged-sth.json');
    writeFileSync(forged, JSON.stringify({ ...head, treeSize: String(Number(head.treeSize) - 1) }));
    const result = await runAudit(
      ['verify', '--against', forged, '--public-key', publicKeyFile, '--json'],
      env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: expect.stringContaining('signature'),
    });
  });

  it('proof prints a bundle that verify-proof checks offline with the public key alone', async () => {
    const events = await readEvents(env.NEWSROOM_DB!);
    const target = events[Math.floor(events.length / 2)]!;
    const bundleFile = join(dir, 'bundle.json');
    const proof = await runAudit(['proof', target.eventId, '--out', bundleFile], env);
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({
      event: { eventId: target.eventId, hash: target.metadata.hash },
    });
    // No store, no signing key: only the bundle and the public key.
    const check = await runAudit(['verify-proof', bundleFile, '--public-key', publicKeyFile], {});
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('verify-proof: PASS');

    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
    bundle.event.hash = events[0]!.metadata.hash;
    bundle.leafHash = JSON.parse(proof.stdout).leafHash;
    writeFileSync(bundleFile, JSON.stringify(bundle));
    const tampered = await runAudit(
      ['verify-proof', bundleFile, '--public-key', publicKeyFile, '--json'],
      {},
    );
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false });
  });

  it('proof of an unknown event fails', async () => {
    const result = await runAudit(['proof', 'no-such-event'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no event no-such-event');
  });

  it('replay at the head rebuilds the same read models as the live API projected', async () => {
    const head = JSON.parse((await runAudit(['verify', '--json'], env)).stdout).lastPosition as string;
    const out = join(dir, 'replay-head.db');
    const result = await runAudit(['replay', '--as-of', head, '--out', out, '--format', 'json'], env);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.asOfPosition).toBe(head);
    expect(printed.claims.length).toBeGreaterThan(5);
    const live = dumpReadModels(env.NEWSROOM_DB!);
    expect(dumpReadModels(out)).toEqual(live);
  });

  it('replay cuts by recorded time and by stated time', async () => {
    const events = await readEvents(env.NEWSROOM_DB!);
    const middle = events[Math.floor(events.length / 2)]!;
    const byTime = await runAudit(
      ['replay', '--as-of', middle.metadata.recordedAt, '--format', 'ndjson'],
      env,
    );
    expect(byTime.code).toBe(0);
    const views = byTime.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const view of views) expect(BigInt(view.position)).toBeLessThanOrEqual(middle.position);

    const all = await runAudit(
      ['replay', '--as-of', String(events.at(-1)!.position), '--format', 'ndjson'],
      env,
    );
    const early = await runAudit(
      [
        'replay',
        '--as-of',
        String(events.at(-1)!.position),
        '--stated-before',
        '2017-10-14T00:00:00Z',
        '--format',
        'ndjson',
      ],
      env,
    );
    const count = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .reduce((sum: number, view) => sum + view.statementCounts.total, 0);
    expect(count(early.stdout)).toBeLessThan(count(all.stdout));
  });

  it('replay refuses to write into an existing database', async () => {
    const result = await runAudit(['replay', '--as-of', '1', '--out', env.NEWSROOM_DB!], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exists');
  });

  it('export then import into an empty store gives the same log, tree head and read models', async () => {
    const file = join(dir, 'demo.ndjson');
    expect((await runAudit(['export', '--out', file], env)).code).toBe(0);
    const copy = { ...env, NEWSROOM_DB: join(dir, 'imported.db') };
    const imported = await runAudit(['import', file, '--json'], copy);
    expect(imported.code).toBe(0);

    const original = JSON.parse((await runAudit(['verify', '--json'], env)).stdout);
    const restored = JSON.parse((await runAudit(['verify', '--json'], copy)).stdout);
    expect(restored).toEqual(original);
    const again = join(dir, 'again.ndjson');
    await runAudit(['export', '--out', again], copy);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));

    const head = original.lastPosition as string;
    await runAudit(['replay', '--as-of', head, '--out', join(dir, 'rm-original.db')], env);
    await runAudit(['replay', '--as-of', head, '--out', join(dir, 'rm-restored.db')], copy);
    expect(dumpReadModels(join(dir, 'rm-restored.db'))).toEqual(dumpReadModels(join(dir, 'rm-original.db')));
  });

  it('import refuses a non-empty store and a file that does not verify', async () => {
    const file = join(dir, 'demo.ndjson');
    const nonEmpty = await runAudit(['import', file], env);
    expect(nonEmpty.code).toBe(2);
    expect(nonEmpty.stderr).toContain('not empty');

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const event = JSON.parse(lines[3]!);
    event.data = { ...event.data, tampered: true };
    lines[3] = JSON.stringify(event);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const refused = await runAudit(['import', bad, '--json'], {
      ...env,
      NEWSROOM_DB: join(dir, 'refused.db'),
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      problem: { kind: 'altered', position: '4' },
    });
  });

  it('answers usage errors with status 2', async () => {
    expect((await runAudit(['frobnicate'], env)).code).toBe(2);
    expect((await runAudit(['verify'], { NEWSROOM_DB: join(dir, 'missing.db') })).code).toBe(2);
    expect((await runAudit(['checkpoint'], { NEWSROOM_DB: env.NEWSROOM_DB })).code).toBe(2);
  });
});
