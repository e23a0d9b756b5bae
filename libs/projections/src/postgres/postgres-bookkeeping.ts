import type { QueryResultRow } from 'pg';
import type { LogIdentity } from '@app/event-store';
import { CheckpointMovedError } from '../port/read-model-store.port';
import type { WriteFragment } from './postgres-read-model.writer';
import { PROJECTED_CHANNEL } from './postgres-read-model.schema';

/**
 * The read models' bookkeeping on PostgreSQL, split out of postgres-read-models.ts: where each
 * projection stands (`rm_checkpoints`), what built them and from which log (`rm_meta`), and the
 * notice that tells every replica a batch has committed. `s` is the quoted schema.
 */

interface Runs {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export async function readCheckpoint(db: Runs, s: string, projection: string): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>(
    `SELECT position::text AS position FROM ${s}.rm_checkpoints WHERE projection = $1`,
    [projection],
  );
  return BigInt(rows[0]?.position ?? '0');
}

/** Locks the checkpoint row for the batch and checks that nobody moved it meanwhile. */
export async function claimCheckpoint(
  db: Runs,
  s: string,
  projection: string,
  expected: bigint,
): Promise<void> {
  // The row exists from the first batch on; before it, the lock is on the insert that makes it.
  const { rows } = await db.query<{ position: string }>(
    `SELECT position::text AS position FROM ${s}.rm_checkpoints WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  const actual = BigInt(rows[0]?.position ?? '0');
  if (actual !== expected) throw new CheckpointMovedError(expected, actual);
}

export function checkpointFragment(s: string, projection: string, position: bigint): WriteFragment {
  return {
    text: `INSERT INTO ${s}.rm_checkpoints (projection, position) VALUES ($1, $2::bigint)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
    values: [projection, position.toString()],
  };
}

/** With the checkpoint, a notification: delivered on commit, to every replica listening. */
export function projectedNotice(schema: string, position: bigint): WriteFragment {
  return { text: 'SELECT pg_notify($1, $2)', values: [PROJECTED_CHANNEL, `${schema} ${position}`] };
}

/** Both keys in one round trip: the runner asks before every catch-up. */
export async function readBuiltFrom(db: Runs, s: string): Promise<LogIdentity | undefined> {
  const { rows } = await db.query<{ key: string; value: string }>(
    `SELECT key, value FROM ${s}.rm_meta WHERE key IN ('log_id', 'first_event_hash')`,
  );
  const logId = rows.find((r) => r.key === 'log_id')?.value;
  if (logId === undefined) return undefined;
  return { logId, firstEventHash: rows.find((r) => r.key === 'first_event_hash')?.value ?? null };
}

export function logFragment(s: string, identity: LogIdentity): WriteFragment {
  const keys = ['log_id', ...(identity.firstEventHash === null ? [] : ['first_event_hash'])];
  return {
    text: `INSERT INTO ${s}.rm_meta (key, value) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    values: [keys, [identity.logId, ...(identity.firstEventHash === null ? [] : [identity.firstEventHash])]],
  };
}

export async function readMeta(db: Runs, s: string, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM ${s}.rm_meta WHERE key = $1`, [key]);
  return rows[0]?.value;
}

export async function saveMeta(db: Runs, s: string, key: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO ${s}.rm_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  );
}
