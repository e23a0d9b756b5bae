import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';
import { ROOT, tool } from './cli';

/** CI lints the document the API serves (not a copy): Redocly's recommended rules, 0 errors. */
describe('the served OpenAPI document', () => {
  let api: TestApp;
  let dir: string;
  let document: any;

  beforeAll(async () => {
    api = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'newsroom-openapi-'));
    document = (await api.get('/docs/openapi.json', 'nobody')).body;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes redocly lint (recommended) with no error', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const result = await tool('@redocly/cli/bin/cli.js', [
      'lint',
      file,
      '--config',
      join(ROOT, 'redocly.yaml'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(result.code).toBe(0);
  }, 120_000);

  it('names every response schema and documents every operation', () => {
    expect(document.info.license).toEqual({
      name: 'Apache-2.0',
      url: 'https://www.apache.org/licenses/LICENSE-2.0',
    });
    expect(document.servers.length).toBeGreaterThan(0);
    expect(document.components.securitySchemes.bearer.bearerFormat).not.toMatch(/jwt/i);
    for (const name of [
      'Claim',
      'ClaimPage',
      'TimelinePage',
      'StatementPage',
      'Source',
      'SourcePage',
      'SourceStatements',
      'EventPage',
      'WriteResult',
      'Problem',
      'Health',
      'ClaimReview',
    ]) {
      expect(document.components.schemas[name]).toBeDefined();
    }
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof op.operationId, typeof op.summary]).toEqual([where, 'string', 'string']);
        ids.add(op.operationId);
        const ok = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect([where, ok.length > 0]).toEqual([where, true]);
        for (const status of ok) {
          // Every 2xx has a body schema (JSON by $ref, metrics as text).
          const content = Object.values<any>(op.responses[status].content ?? {});
          expect([where, status, content.length > 0 && content.every((c) => c.schema)]).toEqual([
            where,
            status,
            true,
          ]);
        }
        for (const param of op.parameters ?? []) {
          expect([where, param.name, param.schema && Object.keys(param.schema).length > 0]).toEqual([
            where,
            param.name,
            true,
          ]);
        }
      }
    }
    expect(ids.size).toBeGreaterThanOrEqual(18);
  });
});
