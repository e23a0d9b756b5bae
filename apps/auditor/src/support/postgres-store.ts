import { Client } from 'pg';
import { type EventStore, openPostgresEventStore, systemClock } from '@app/event-store';
import type { TextPageReader } from './text-pages';

/** EVENT_STORE=postgres as the auditor uses it; imported lazily by log-source.ts. */
export interface PostgresLog {
  store: EventStore;
  /** The log as stored (data and metadata as their exact JSON text), for verify's text path. */
  textPages: TextPageReader;
  close(): Promise<void>;
}

/**
 * The store opened as the API opens it, plus one plain connection that pages through the events
 * table by primary key (a keyset cursor: each page one index range scan, no transaction held open
 * across the pass), reading `data` and `metadata` as text so nothing is parsed.
 */
export async function openPostgresStore(url: string, schema: string | undefined): Promise<PostgresLog> {
  const store = await openPostgresEventStore({
    url,
    schema,
    clock: systemClock,
    onIdleError: (error) => process.stderr.write(`audit: PostgreSQL connection failed: ${error.message}\n`),
  });
  const client = new Client({ connectionString: url });
  client.on('error', (error) =>
    process.stderr.write(`audit: PostgreSQL connection failed: ${error.message}\n`),
  );
  try {
    await client.connect();
  } catch (error) {
    await store.close();
    throw error;
  }
  // The store's schema is a checked identifier (letters, digits, `_`): safe to quote as is.
  const events = `"${await schemaOf(store)}".events`;
  // Qualified `e.position` in ORDER BY: a bare `position` would name the text output column and
  // sort '10' before '2'.
  const text = `SELECT e.position::text, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version,
      e.data::text, e.metadata::text, e.hash, e.prev_hash, e.recorded_at
    FROM ${events} AS e WHERE e.position > $1::bigint ORDER BY e.position LIMIT $2`;
  return {
    store,
    textPages: async (after, limit) => {
      const result = await client.query<unknown[]>({
        text,
        values: [after.toString(), limit],
        rowMode: 'array',
      });
      return result.rows.map(asSqliteRow);
    },
    close: async () => {
      await client.end();
      await store.close();
    },
  };
}

async function schemaOf(store: EventStore): Promise<string> {
  const withSchema = store as EventStore & { schema?: () => Promise<string> };
  if (typeof withSchema.schema !== 'function')
    throw new Error('the PostgreSQL store does not name its schema');
  return withSchema.schema();
}

/**
 * Integers as better-sqlite3's safe-integer mode gives them (bigint), so one reader (textEventOf)
 * serves both stores: the position from its decimal text, the versions from int4.
 */
function asSqliteRow(row: unknown[]): unknown[] {
  const [position, eventId, streamId, streamVersion, type, schemaVersion, ...rest] = row;
  return [
    typeof position === 'string' ? BigInt(position) : position,
    eventId,
    streamId,
    typeof streamVersion === 'number' ? BigInt(streamVersion) : streamVersion,
    type,
    typeof schemaVersion === 'number' ? BigInt(schemaVersion) : schemaVersion,
    ...rest,
  ];
}
