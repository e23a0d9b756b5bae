/**
 * Writes a synthetic N-event log into a new SQLite store for the auditor's figures (docs/auditing.md):
 *   node dist/bench/auditor/generate-log.js <demo-export.ndjson> <count> <db> [--template-order]
 * Data is stored as its canonical text, as the stores write it (decision 0021); --template-order
 * keeps the template's key order instead, as older logs (JSON.stringify of the object) hold it.
 */
import { openSqliteDatabase, SqliteEventStore, type StoredEvent, systemClock } from '@app/event-store';
import { expandLog, readTemplates } from './expand-log';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const templateOrder = args.includes('--template-order');
  const [templatesFile, countText, dbFile] = args.filter((arg) => arg !== '--template-order');
  if (templatesFile === undefined || countText === undefined || dbFile === undefined) {
    throw new Error('usage: generate-log <demo-export.ndjson> <count> <db file>');
  }
  const store = new SqliteEventStore(openSqliteDatabase(dbFile), systemClock, { ownsDatabase: true });
  store.migrate();
  let batch: StoredEvent[] = [];
  const templates = await readTemplates(templatesFile);
  for (const event of expandLog(templates, Number(countText), { canonicalData: !templateOrder })) {
    batch.push(event);
    if (batch.length === 10_000) {
      await store.importRecorded(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.importRecorded(batch);
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
