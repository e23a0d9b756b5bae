import { escapeLiteral } from 'pg';
import { advisoryLockKey } from './postgres-migrations';
import { appendEventsFunction } from './postgres-append-function';

/*
 * Per-stream turns that never stall a batch (docs/decisions/0033, 0043). A command that loses a
 * race on a stream to another replica takes the stream's turn: a transaction-level advisory lock
 * on that stream, held while it reads, decides and appends, so its append cannot lose.
 *
 * A group commit does not wait for turns (0033's did, and one held turn stalled the other
 * replica's whole batch): under the log-wide lock it TRIES each of its streams' locks
 * (`pg_try_advisory_xact_lock`, which never waits) and holds those it gets until it commits, so a
 * turn taken meanwhile waits for the batch's commit and then reads it. If a lock is held (a turn,
 * or a turn's own append), the batch writes nothing and answers which streams are "busy"; the
 * store takes those appends out (they fail with StreamBusyError, which the runner answers by
 * taking the stream's turn, queueing behind the one held) and commits the rest at once.
 *
 * Lock order: a turn takes its stream's lock, then (to append) the log lock; a batch takes the
 * log lock and only tries stream locks. The holder of the log lock therefore waits for nothing,
 * and no cycle can form, whichever replicas and paths meet.
 *
 * Keys: the two-`int4` form of the advisory locks, whose key space is disjoint from the one-`bigint`
 * form of the log-wide and migration locks: (a space per schema, `hashtext(stream_id)`). Two streams
 * whose ids collide share a lock, which only makes one wait for (or answer busy on) the other's
 * turn. `hashtext` is computed by the server, so every client of one database agrees on it.
 */

/** The first key of a schema's stream locks (an int4): logs in different schemas never wait on each other. */
export function streamLockSpace(quotedSchema: string): number {
  return Number(BigInt.asIntN(32, BigInt(advisoryLockKey(`event-store/stream/${quotedSchema}`))));
}

/**
 * BEGIN a stream's turn and take its lock, in one round trip: the simple protocol takes no
 * parameters, so the id is quoted in. The lock is still a statement of its own, so the reads after
 * it see every commit made before it was granted.
 */
export function beginTurnSql(quotedSchema: string, streamId: string): string {
  return `BEGIN; SELECT pg_advisory_xact_lock(${streamLockSpace(quotedSchema)}, hashtext(${escapeLiteral(streamId)}))`;
}

/**
 * Under the log lock (path (c) of postgres-group-commit.ts): tries each stream's lock ($1, the
 * stream ids, distinct) and answers the ids whose lock another transaction holds. The locks it
 * gets are held until COMMIT.
 */
export function tryStreamLocksSql(quotedSchema: string): string {
  return `SELECT a.id AS "streamId" FROM unnest($1::text[]) AS a(id)
    WHERE NOT pg_try_advisory_xact_lock(${streamLockSpace(quotedSchema)}, hashtext(a.id))`;
}

/**
 * Migration 4: `append_events` (migration 3, whose text is shipped and stays as it was) replaced by
 * the same function that, once it holds the log lock, tries its batch's stream locks; if any is
 * held it writes nothing and answers one 'busy' row per such stream. Same signature and row type.
 * Only a turn holds a stream lock longer than a batch, and only this code takes turns; a replica
 * still on the code before it that meets a 'busy' row while the other holds a turn cannot read the
 * row, so that batch fails whole with nothing written (its callers get an error, nothing is lost).
 */
export function appendEventsTryingStreamLocksFunction(quotedSchema: string): string {
  const tryLocks = `PERFORM pg_advisory_xact_lock(p_lock);
      SELECT array_agg(a.id) INTO v_busy FROM unnest(p_tip_streams) AS a(id)
       WHERE NOT pg_try_advisory_xact_lock(${streamLockSpace(quotedSchema)}, hashtext(a.id));
      IF v_busy IS NOT NULL THEN
        RETURN QUERY SELECT 'busy'::text, b.id, NULL::integer, NULL::text FROM unnest(v_busy) AS b(id);
        RETURN;
      END IF;`;
  return [
    ['CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'],
    ['v_last text;', 'v_last text;\n      v_busy text[];'],
    ['PERFORM pg_advisory_xact_lock(p_lock);', tryLocks],
  ].reduce((sql, [from = '', to = '']) => {
    if (!sql.includes(from)) throw new Error(`migration 4: "${from}" not found in append_events`);
    return sql.replace(from, to);
  }, appendEventsFunction(quotedSchema));
}
