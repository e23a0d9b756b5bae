import type { Pool } from 'pg';
import type { AppendResult, Clock } from '../port/event-store.port';
import { nextRecordedAt, type StreamTip } from '../core/append-plan';
import { planBatch, type AppendRequest } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import type { KnownLog } from './postgres-known-log';
import { run } from './postgres-query';
import { insertParams, rowOfAppended, type BatchBaseRow, type Statements } from './postgres-sql';
import { baseOf } from './postgres-writes';

/**
 * Tries before giving up on guessing: the first guess comes from what this process knows, the
 * second from what the log answered to the first. A second miss means another replica keeps
 * writing the same streams; the caller then takes the lock first and reads (four round trips).
 */
const GUESSES = 2;

/**
 * One group commit in one round trip (docs/decisions/0024): plan the batch against what this
 * process knows of the log (KnownLog), and let `append_events` check that guess under the append
 * lock and insert, commit and NOTIFY in the same call. A wrong guess writes nothing and answers
 * the real base, which the next try plans against. Resolves undefined when every try missed.
 */
export async function appendInOneTrip(
  pool: Pool,
  sql: Statements,
  requests: readonly AppendRequest[],
  clock: Clock,
  notify: boolean,
  known: KnownLog,
): Promise<Outcome<AppendResult>[] | undefined> {
  const streamIds = [...new Set(requests.map((r) => r.streamId))];
  const eventIds = requests.flatMap((r) => r.events.map((e) => e.eventId));
  const storedIds = new Set<string>();
  for (let attempt = 0; attempt < GUESSES; attempt++) {
    const tips = new Map<string, StreamTip>();
    for (const streamId of streamIds) {
      const tip = known.tip(streamId);
      if (tip !== undefined) tips.set(streamId, tip);
    }
    const recordedAt = nextRecordedAt(clock, known.lastRecordedAt);
    // Positions from 1: the function adds the head it finds under the lock.
    const { outcomes, stored } = planBatch(requests, { head: 0n, tips, storedIds }, recordedAt);
    // Planned against what the log answered under the lock, and nothing to write: every request
    // failed against the log as it stood then, which is as good a moment as a commit's.
    if (attempt > 0 && stored.length === 0) return outcomes;
    const [, ...columns] = insertParams(stored.map(rowOfAppended));
    const { rows } = await run<BatchBaseRow>(pool, sql.appendEvents, [
      streamIds,
      streamIds.map((id) => tips.get(id)?.version ?? 0),
      streamIds.map((id) => tips.get(id)?.lastHash ?? null),
      eventIds.filter((id) => !storedIds.has(id)),
      recordedAt,
      ...columns,
      notify && stored.length > 0 ? sql.channel : null,
    ]);
    const ok = rows.length === 1 && rows[0]?.kind === 'ok' ? rows[0] : undefined;
    if (ok !== undefined) {
      const head = BigInt(ok.key);
      const placed = outcomes.map((outcome) =>
        outcome.ok ? { ok: true as const, value: offset(outcome.value, head) } : outcome,
      );
      known.committed(stored);
      known.recorded(recordedAt);
      return placed;
    }
    const base = baseOf(rows);
    for (const streamId of streamIds) known.setTip(streamId, base.tips.get(streamId));
    for (const id of base.storedIds) storedIds.add(id);
    known.recorded(base.lastRecordedAt);
  }
  return undefined;
}

/** A result planned from position 1, moved to where the function put it (after `head`). */
function offset(result: AppendResult, head: bigint): AppendResult {
  return {
    streamVersion: result.streamVersion,
    position: result.position + head,
    events: result.events.map((event) => ({ ...event, position: event.position + head })),
  };
}
