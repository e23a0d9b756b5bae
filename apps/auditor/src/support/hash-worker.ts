import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { recomputeStoredEventHash } from '@app/integrity';
import { sqliteTextRange, textEventOf } from './text-pages';
import type { HashedRow, HashRequest } from './hashed-pages';

/**
 * A hashing thread of `verify` (see hashed-pages.ts): reads the rows of the position ranges it is
 * sent over its own read-only connection and recomputes each event's hash from the stored text.
 * It judges nothing: the main thread's verifier compares, chains, orders and builds the tree.
 */
const port = parentPort;
if (port === null) throw new Error('hash-worker runs as a worker thread');
const { file } = workerData as { file: string };
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
const readRange = sqliteTextRange(db);

port.on('message', (request: HashRequest) => {
  const rows: HashedRow[] = [];
  for (const row of readRange(request.from, request.to)) rows.push(hashRow(row));
  port.postMessage({ from: request.from, rows });
});

/** Only what the verifier needs of a row; a row the text path cannot read goes back as its position. */
function hashRow(row: unknown[]): HashedRow {
  const event = textEventOf(row);
  if (event === undefined) return [row[0] as bigint];
  return [
    event.position,
    event.eventId,
    event.streamId,
    event.streamVersion,
    event.recordedAt,
    event.hash,
    event.prevHash,
    recomputeStoredEventHash(event, event.hash),
  ];
}
