import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';
import { ROOT, tool } from './cli';

/**
 * What an integrator does: generate a TypeScript client from the served document with
 * openapi-typescript, type-check it and a program using it (client/story.ts, openapi-fetch) with
 * `tsc --strict`, and run the program against the API: register sources, open a claim, report
 * conflicting statements, correct, retract, read it contested (now and at a cut), page its
 * timeline, issue a verdict and export it as ClaimReview.
 */
describe('a client generated from the served OpenAPI document', () => {
  let api: TestApp;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'newsroom-client-'));
    const document = await api.get('/docs/openapi.json', 'nobody');
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document.body));
    // An ES-module package of its own, resolving openapi-fetch and @types/node from the repository.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    copyFileSync(join(__dirname, 'client', 'story.ts'), join(dir, 'story.ts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['ES2023', 'DOM'],
          types: ['node'],
          // Only node_modules' declarations are skipped: the generated file is a .ts, checked.
          skipLibCheck: true,
          outDir: 'out',
          rootDir: '.',
        },
        files: ['newsroom-api.ts', 'story.ts'],
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates, type-checks under --strict, and drives a story end to end', async () => {
    const generated = await tool(
      'openapi-typescript/bin/cli.js',
      ['openapi.json', '--output', 'newsroom-api.ts'],
      dir,
    );
    expect([generated.code, generated.stderr]).toEqual([0, expect.any(String)]);

    const compiled = await tool('typescript/bin/tsc', ['-p', 'tsconfig.json'], dir);
    expect(compiled.stdout).toBe('');
    expect(compiled.code).toBe(0);

    const ran = await tool.node(join(dir, 'out', 'story.js'), [api.url, KEYS.admin], dir);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const result = JSON.parse(ran.stdout);

    expect(result.staleStatus).toBe(412);
    expect(result.staleCode).toBe('PRECONDITION_FAILED');
    // Alloush against the coalition: contested, one conflict, one voice a side (the observatory's
    // affirmation was retracted).
    expect(result.status).toBe('contested');
    expect(result.sides).toEqual([[1, 1]]);
    expect(result.contested).toEqual([result.claimId]);
    expect(result.counts).toEqual({ total: 3, live: 2, superseded: 0, retracted: 1 });
    expect(result.quoteBefore).toBe('foreign fighters were in the convoy');
    expect(result.quoteNow).toBe('foreign fighters were among them');
    expect(result.cut.asOfPosition).toMatch(/^\d+$/);
    expect(result.timeline).toEqual([
      'ClaimOpened:unsourced',
      'StatementReported:single-source',
      'StatementReported:contested',
      'StatementReported:contested',
      'StatementCorrected:contested',
      'StatementRetracted:contested',
    ]);
    expect(result.review).toEqual({ type: 'ClaimReview', rating: 'Mixed', appearances: 2 });
    expect(result.missing).toEqual({ status: 404, code: 'CLAIM_NOT_FOUND' });

    // What the client wrote is what the API holds.
    const read = await api.get(`/claims/${result.claimId}`);
    expect(read.body.status).toBe('contested');
    // Three tools in their own processes (tsc the slowest) on a shared machine: not a speed check.
  }, 180_000);
});
