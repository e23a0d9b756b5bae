/**
 * Writes a synthetic N-event log into a new SQLite store for the auditor's memory figure
 * (docs/auditing.md):  node dist/bench/auditor/generate-log.js <demo-export.ndjson> <count> <db>
 */
import { openSqliteDatabase, SqliteEventStore, type StoredEvent, systemClock } from '@app/event-store';
import { expandLog, readTemplates } from './expand-log';

async function main(): Promise<void> {
  const [templatesFile, countText, dbFile] = process.argv.slice(2);
  if (templatesFile === undefined || countText === undefined || dbFile === undefined) {
    throw new Error('usage: generate-log <demo-export.ndjson> <count> <db file>');
  }
  const store = new SqliteEventStore(openSqliteDatabase(dbFile), systemClock, { ownsDatabase: true });
  store.migrate();
  let batch: StoredEvent[] = [];
  for (const event of expandLog(await readTemplates(templatesFile), Number(countText))) {
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
