import { createHash } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient, type QueryConfig, type QueryResultRow } from 'pg';

const UNDEFINED_TABLE = '42P01';
/** `append_events` (migration 3) missing: a schema not migrated by this code yet. */
const UNDEFINED_FUNCTION = '42883';
/** The schema itself missing: `schema.append_events(...)` fails with this, not UNDEFINED_TABLE. */
const INVALID_SCHEMA_NAME = '3F000';
const NOT_MIGRATED = new Set([UNDEFINED_TABLE, UNDEFINED_FUNCTION, INVALID_SCHEMA_NAME]);

export type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * Named (prepared once per connection) by a digest of the text, so two stores on one pool with
 * different schemas never collide on a name. Translates "no such table" into what to do about it.
 */
export async function run<R extends QueryResultRow>(on: Queryable, text: string, values: unknown[]) {
  const config: QueryConfig = {
    name: `es_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`,
    text,
    values,
  };
  try {
    return await on.query<R>(config);
  } catch (error) {
    throw explainMissingTables(error);
  }
}

function explainMissingTables(error: unknown): unknown {
  if (error instanceof DatabaseError && error.code !== undefined && NOT_MIGRATED.has(error.code)) {
    return new Error('PostgresEventStore: the tables do not exist; call migrate() first', { cause: error });
  }
  return error;
}

/**
 * `begin` ... COMMIT on one pooled connection (READ COMMITTED, the default: see the adapter's
 * header). `begin` may carry more statements (the append lock) to save a round trip. If COMMIT's
 * reply is lost the outcome is unknown; a caller's retry then meets DuplicateEventError, which tells
 * it the events are stored. A connection whose ROLLBACK failed is destroyed, not pooled.
 */
export async function transaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin).catch((error: unknown) => {
      throw explainMissingTables(error);
    });
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
