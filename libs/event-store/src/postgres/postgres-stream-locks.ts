import { escapeLiteral } from 'pg';
import { advisoryLockKey } from './postgres-migrations';
import { appendEventsFunction } from './postgres-append-function';

/*
 * Per-stream turns (docs/decisions/0033). A command that keeps losing races on a stream to another
 * replica takes the stream's turn: a transaction-level advisory lock on that stream, held while it
 * reads, decides and appends. Every append takes the same lock for each stream of its batch, so a
 * racer's append waits until the turn commits, and the turn's append cannot lose.
 *
 * Lock order, everywhere: the batch's stream locks in ascending key order, THEN the log-wide append
 * lock. A turn holds one stream lock and then, to append, the log lock; a batch takes its sorted
 * stream locks and then the log lock; whoever holds the log lock waits for nothing else. So no
 * cycle can form, whichever replicas and paths meet.
 *
 * Keys: the two-`int4` form of the advisory locks, whose key space is disjoint from the one-`bigint`
 * form of the log-wide and migration locks: (a space per schema, `hashtext(stream_id)`). Two streams
 * whose ids collide share a lock, which only makes one wait for the other's turn. `hashtext` is
 * computed by the server, so every client of one database agrees on it.
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
 * The locks of a batch written under the lock (path (c) of postgres-group-commit.ts): its streams'
 * locks in key order ($1, the stream ids), then the log-wide lock ($2). The aggregate finishes every
 * stream lock before the outer row, and so the log lock, exists.
 */
export function lockStreamsThenLogSql(quotedSchema: string): string {
  return `SELECT pg_advisory_xact_lock($2::bigint) FROM (
      SELECT bool_and(true) FROM (
        SELECT pg_advisory_xact_lock(${streamLockSpace(quotedSchema)}, s.k)
          FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($1::text[]) AS id ORDER BY 1) AS s
      ) AS locked
    ) AS streams`;
}

/**
 * Migration 4: `append_events` (migration 3, whose text is shipped and stays as it was) replaced by
 * the same function that first takes its batch's stream locks, in key order, before the log lock.
 * Same signature, so a replica still running the code before it calls the new function unchanged.
 */
export function appendEventsWithStreamLocksFunction(quotedSchema: string): string {
  const streamLocks = `FOR v_stream IN SELECT DISTINCT hashtext(a.id) FROM unnest(p_tip_streams) AS a(id) ORDER BY 1
      LOOP
        PERFORM pg_advisory_xact_lock(${streamLockSpace(quotedSchema)}, v_stream);
      END LOOP;
      PERFORM pg_advisory_xact_lock(p_lock);`;
  return [
    ['CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'],
    ['v_last text;', 'v_last text;\n      v_stream integer;'],
    ['PERFORM pg_advisory_xact_lock(p_lock);', streamLocks],
  ].reduce((sql, [from = '', to = '']) => {
    if (!sql.includes(from)) throw new Error(`migration 4: "${from}" not found in append_events`);
    return sql.replace(from, to);
  }, appendEventsFunction(quotedSchema));
}
