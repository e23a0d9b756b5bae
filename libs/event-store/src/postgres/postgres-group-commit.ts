import type { Pool } from 'pg';
import { StreamBusyError, type AppendResult, type Clock } from '../port/event-store.port';
import type { AppendRequest } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import type { KnownLog } from './postgres-known-log';
import { appendInOneTrip } from './postgres-one-trip';
import { run, transaction } from './postgres-query';
import { isUniqueViolation, translateConstraint, type Statements } from './postgres-sql';
import { writeBatch } from './postgres-writes';

/*
 * How the PostgreSQL event store writes one group commit (see postgres-event-store.ts for why
 * positions are assigned under a log-wide advisory lock):
 *
 * (c) Group commit (docs/decisions/0005). Appends are queued (core/group-commit); at most one
 *     transaction per store is in flight, and the next one takes everything that queued meanwhile
 *     (or in the same event-loop turn when idle). The locked path: one transaction = five round
 *     trips whatever its size: BEGIN, the batch's stream locks then the log lock (decision 0033:
 *     stream locks first, everywhere), one read of the stored ids, tips and head (postgres-sql
 *     `batchBase`), one insert of all accepted rows with `unnest` arrays plus the NOTIFY, COMMIT.
 *     Each append is checked in memory against the base as the appends before it in the batch
 *     leave it (core/batch-plan), so it fails alone and two appends to one stream are checked in
 *     order.
 *
 * (e) One round trip per group commit (docs/decisions/0024). (c) costs five round trips, and one
 *     writer waits for all of them on every append. By default a batch is planned against what this
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
      const answer = await appendInOneTrip(pool, sql, requests, clock, notify, known);
      if (Array.isArray(answer)) return answer;
      // Some streams' turns are held: the rest commit now, without waiting for them (0043).
      if (answer !== undefined) {
        return await withoutBusy(requests, answer.busy, (rest) => commitGroup(writer, rest));
      }
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

/**
 * Path (c): the lock, the streams' locks tried (0043: a busy stream's appends are taken out), the
 * base read under them, the insert, COMMIT; what it read is now known.
 */
async function appendLocked(
  writer: GroupWriter,
  requests: readonly AppendRequest[],
): Promise<Outcome<AppendResult>[]> {
  const { pool, sql, clock, notify, known } = writer;
  const streamIds = [...new Set(requests.map((r) => r.streamId))];
  let written: (Awaited<ReturnType<typeof writeBatch>> & { rest: readonly AppendRequest[] }) | undefined;
  const outcomes = await transaction(
    pool,
    async (client) => {
      const { rows } = await run<{ streamId: string }>(client, sql.tryStreamLocks, [streamIds]);
      return withoutBusy(requests, new Set(rows.map((row) => row.streamId)), async (rest) => {
        written = { ...(await writeBatch(client, sql, rest, clock, notify)), rest };
        return written.outcomes;
      });
    },
    sql.beginLocked,
  );
  if (written !== undefined) {
    const { base, stored, rest } = written;
    for (const request of rest) known.setTip(request.streamId, base.tips.get(request.streamId));
    known.recorded(base.lastRecordedAt);
    known.committed(stored);
  }
  return outcomes;
}

/**
 * The outcomes of `requests` when the streams in `busy` are held by turns: theirs fail with
 * StreamBusyError (nothing of them written), the rest are committed by `commit`, in order.
 */
export async function withoutBusy(
  requests: readonly AppendRequest[],
  busy: ReadonlySet<string>,
  commit: (rest: readonly AppendRequest[]) => Promise<Outcome<AppendResult>[]>,
): Promise<Outcome<AppendResult>[]> {
  const rest = requests.filter((request) => !busy.has(request.streamId));
  const done = rest.length > 0 ? await commit(rest) : [];
  let next = 0;
  return requests.map((request): Outcome<AppendResult> => {
    if (busy.has(request.streamId)) {
      return { ok: false, error: new StreamBusyError(request.streamId, request.expected) };
    }
    next += 1;
    return done[next - 1] ?? { ok: false, error: new Error('group commit: no outcome') };
  });
}
