import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  MAX_PAGE_SIZE,
  openSqliteDatabase,
  SqliteEventStore,
  type StoredEvent,
  systemClock,
} from '@app/event-store';
import { READ_MODEL_TABLES } from '@app/projections';
import { run } from '../../../apps/auditor/src/cli';
import { startTestApp } from '../../support/test-app';

export interface AuditResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built auditor, which AUDIT_BUILT=1 runs instead (its hashing threads exist only built). */
const BUILT_AUDITOR = join(__dirname, '../../../dist/apps/auditor/src/main.js');

/**
 * Runs the CLI in-process with captured output, as `npm run audit -- ...argv` would. With
 * AUDIT_BUILT=1 (after `npm run build`) it runs the built auditor as a child process instead, so
 * the same suites check verify's hashing threads, which the sources under Jest cannot start.
 */
export async function runAudit(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<AuditResult> {
  if (process.env.AUDIT_BUILT === '1') return runBuiltAudit(argv, env);
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
    env,
  });
  return { code, stdout, stderr };
}

function runBuiltAudit(argv: string[], env: Record<string, string | undefined>): Promise<AuditResult> {
  if (!existsSync(BUILT_AUDITOR)) throw new Error(`AUDIT_BUILT=1 needs the build: ${BUILT_AUDITOR}`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_AUDITOR, ...argv],
      { env: { PATH: process.env.PATH, ...env }, maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(prefix = 'newsroom-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The Raqqa demo as the real API loads it (through its commands), copied to `target`. */
export async function demoDatabase(target: string): Promise<void> {
  // A SQLite file is what the auditor tests work on, whatever E2E_EVENT_STORE says.
  const app = await startTestApp({ EVENT_STORE: 'sqlite', NEWSROOM_DEMO: 'on' });
  await app.app.close();
  copyFileSync(app.dbPath, target);
  rmSync(dirname(app.dbPath), { recursive: true, force: true });
}

/** Writes events into a new SQLite event store in large transactions, via importRecorded. */
export async function writeLog(path: string, events: Iterable<StoredEvent>): Promise<number> {
  const db = openSqliteDatabase(path);
  const store = new SqliteEventStore(db, systemClock, { ownsDatabase: true });
  store.migrate();
  let batch: StoredEvent[] = [];
  let count = 0;
  for (const event of events) {
    batch.push(event);
    count += 1;
    if (batch.length === 5_000) {
      await store.importRecorded(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.importRecorded(batch);
  await store.close();
  return count;
}

export async function readEvents(path: string): Promise<StoredEvent[]> {
  const db = openSqliteDatabase(path);
  const store = new SqliteEventStore(db, systemClock, { ownsDatabase: true });
  const events: StoredEvent[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: MAX_PAGE_SIZE });
    if (page.length === 0) break;
    events.push(...page);
    after = page.at(-1)!.position;
  }
  await store.close();
  return events;
}

/** Every read-model table, rows sorted, as comparable text. */
export function dumpReadModels(path: string): Record<string, unknown[]> {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    const dump: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      // Which log built them (decision 9): an imported copy is another log with the same events.
      const content = table === 'rm_meta' ? rows.filter((row) => row.key !== 'log_id') : rows;
      dump[table] = content.map((row) => JSON.stringify(row)).sort();
    }
    return dump;
  } finally {
    db.close();
  }
}
