import type { Pool } from 'pg';
import type { AppendResult, Clock } from '../port/event-store.port';
import type { AppendRequest } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import type { KnownLog } from './postgres-known-log';
import { appendInOneTrip } from './postgres-one-trip';
import { transaction } from './postgres-query';
import { isUniqueViolation, translateConstraint, type Statements } from './postgres-sql';
import { writeBatch } from './postgres-writes';

/*
 * How the PostgreSQL event store writes one group commit (see postgres-event-store.ts for why
 * positions are assigned under a log-wide advisory lock):
 *
 * (c) Group commit (docs/decisions/0005). Appends are queued (core/group-commit); at most one
 *     transaction per store is in flight, and the next one takes everything that queued meanwhile
 *     (or in the same event-loop turn when idle). The locked path: one transaction = four round
 *     trips whatever its size: BEGIN + lock, one read of the stored ids, tips and head (postgres-sql
 *     `batchBase`), one insert of all accepted rows with `unnest` arrays plus the NOTIFY, COMMIT.
 *     Each append is checked in memory against the base as the appends before it in the batch
 *     leave it (core/batch-plan), so it fails alone and two appends to one stream are checked in
 *     order.
 *
 * (e) One round trip per group commit (docs/decisions/0024). (c) costs four round trips, and one
 *     writer waits for all four on every append. By default a batch is planned against what this
 *     process knows of the log (KnownLog: tips learned from its own commits and from readStream,
 *     the last recordedAt) and sent as ONE call of `append_events` (migration 3) outside any
 *     explicit transaction: under the same advisory lock it checks every guess (tips, ids, time),
 *     inserts at head + 1.., NOTIFYs and commits in that round trip (postgres-one-trip.ts). A wrong
 *     guess writes nothing and answers the real base; the batch is planned again from it (a second
 *     round trip), and after a second miss it takes path (c). Outcomes are those (c) would give:
 *     the guess the plan used is checked to be the base under the lock. Imports always take (c).
 */

/** What writing a group commit needs of the store. */
export interface GroupWriter {
  pool: Pool;
  sql: Statements;
  clock: Clock;
  notify: boolean;
  known: KnownLog;
  oneRoundTrip: boolean;
}

/**
 * One group commit: in one round trip (e) unless it is off or its guesses missed twice, else
 * under the lock (c). If the insert hit a unique violation (a writer ignoring the lock), the whole
 * transaction is gone: each request is retried alone, so only the offending one fails.
 */
export async function commitGroup(
  writer: GroupWriter,
  requests: readonly AppendRequest[],
): Promise<Outcome<AppendResult>[]> {
  try {
    if (writer.oneRoundTrip) {
      const { pool, sql, clock, notify, known } = writer;
      const outcomes = await appendInOneTrip(pool, sql, requests, clock, notify, known);
      if (outcomes !== undefined) return outcomes;
    }
    return await appendLocked(writer, requests);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    if (requests.length === 1) throw translateConstraint(error, requests[0]?.events[0]?.eventId);
    const alone: Outcome<AppendResult>[] = [];
    for (const request of requests) {
      try {
        const [outcome] = await commitGroup(writer, [request]);
        alone.push(outcome ?? { ok: false, error: new Error('group commit: no outcome') });
      } catch (retryError) {
        alone.push({ ok: false, error: retryError });
      }
    }
    return alone;
  }
}

/** Path (c): the lock, the base read under it, the insert, COMMIT; what it read is now known. */
async function appendLocked(
  writer: GroupWriter,
  requests: readonly AppendRequest[],
): Promise<Outcome<AppendResult>[]> {
  const { pool, sql, clock, notify, known } = writer;
  const { outcomes, base, stored } = await transaction(
    pool,
    (client) => writeBatch(client, sql, requests, clock, notify),
    sql.beginLocked,
  );
  for (const request of requests) known.setTip(request.streamId, base.tips.get(request.streamId));
  known.recorded(base.lastRecordedAt);
  known.committed(stored);
  return outcomes;
}
