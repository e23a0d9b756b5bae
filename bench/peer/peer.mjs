/**
 * W5, the peer: the in-process append and stream-read workload of `npm run bench` on Emmett's
 * SQLite or PostgreSQL event store, run as a child of the bench so the product never loads Emmett.
 *
 *   node bench/peer/peer.mjs --engine sqlite|postgres --writers 64 --seconds 5 \
 *        [--file /tmp/x.db | --url postgres://... --schema name] [--read-events 1000] [--read-seconds 1]
 *
 * Prints one JSON line: { appends, failures, seconds, eventsPerSecond, read: { events, seconds, eventsPerSecond } }.
 * The workload mirrors bench/workloads/appends.ts: each writer owns one stream and appends one
 * statement-sized event per call with the version it expects, until the time is up.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    writers: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    file: { type: 'string' },
    url: { type: 'string' },
    schema: { type: 'string' },
    'read-events': { type: 'string', default: '1000' },
    'read-seconds': { type: 'string', default: '1' },
  },
});

function statementEvent(i) {
  return {
    type: 'StatementReported',
    data: {
      claimId: 'c',
      statementId: randomUUID(),
      sourceId: 's',
      stance: 'affirms',
      value: { exact: i },
      quote: { text: 'قال المتحدث طلال سيلو إنه تم توفير ممر آمن', language: 'ar' },
      statedAt: { at: '2017-10-15T09:00:00.000Z', precision: 'hour' },
      attribution: 'on-record',
    },
    metadata: { principal: 'bench', correlationId: 'bench' },
  };
}

/**
 * Emmett switches a new file to WAL as it opens it, racing its own first transaction ("cannot
 * change into wal mode from within a transaction"); a file created in WAL mode first avoids that.
 */
async function walFile(file) {
  const { default: sqlite3 } = await import('sqlite3');
  await new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => {
      if (error) return reject(error);
      db.exec('PRAGMA journal_mode = WAL', (failed) => db.close(() => (failed ? reject(failed) : resolve())));
    });
  });
}

async function openStore() {
  if (values.engine === 'sqlite') {
    const { getSQLiteEventStore } = await import('@event-driven-io/emmett-sqlite');
    await walFile(values.file);
    // One connection: with a connection per call, concurrent appends fail with SQLITE_BUSY (no
    // busy timeout), and one connection cannot hold two transactions, so appends are queued here.
    const store = getSQLiteEventStore({
      fileName: values.file,
      connectionOptions: { singleton: true },
      schema: { autoMigration: 'CreateOrUpdate' },
    });
    return { store, close: () => store.close?.(), serialise: true };
  }
  if (values.engine === 'postgres') {
    const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
    // The schema is selected by search_path, so the bench can drop it afterwards.
    const url = new URL(values.url);
    if (values.schema) url.searchParams.set('options', `-c search_path=${values.schema}`);
    const store = getPostgreSQLEventStore(url.toString(), { schema: { autoMigration: 'CreateOrUpdate' } });
    return { store, close: () => store.close(), serialise: false };
  }
  throw new Error('--engine sqlite|postgres');
}

async function main() {
  const writers = Number(values.writers);
  const deadline = performance.now() + Number(values.seconds) * 1000;
  const { store, close, serialise } = await openStore();
  let tail = Promise.resolve();
  const append = (stream, events, options) => {
    if (!serialise) return store.appendToStream(stream, events, options);
    const result = tail.then(() => store.appendToStream(stream, events, options));
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  const run = randomUUID().slice(0, 8);
  // Warm up (schema creation, first connections) outside the timed part.
  await store.appendToStream(`warm-${run}`, [statementEvent(0)]);

  let appends = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const stream = `bench-${run}-${w}`;
      let version = 0n;
      for (let i = 0; performance.now() < deadline; i++) {
        try {
          const result = await append(stream, [statementEvent(i)], {
            expectedStreamVersion: version === 0n ? 'STREAM_DOES_NOT_EXIST' : version,
          });
          version = result.nextExpectedStreamVersion;
          appends++;
        } catch {
          failures++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // A stream of `read-events` events, written in appends of 100, then read whole until --read-seconds are spent.
  const readStream = `read-${run}`;
  const readEvents = Number(values['read-events']);
  for (let i = 0; i < readEvents; i += 100) {
    await store.appendToStream(
      readStream,
      Array.from({ length: Math.min(100, readEvents - i) }, (_, j) => statementEvent(i + j)),
    );
  }
  let read = 0;
  const readStarted = performance.now();
  while (performance.now() - readStarted < Number(values['read-seconds']) * 1000) {
    const result = await store.readStream(readStream);
    read += result.events.length;
  }
  const readSeconds = (performance.now() - readStarted) / 1000;
  await close();
  process.stdout.write(
    JSON.stringify({
      appends,
      failures,
      seconds,
      eventsPerSecond: appends / seconds,
      read: { events: read, seconds: readSeconds, eventsPerSecond: read / readSeconds },
    }) + '\n',
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
