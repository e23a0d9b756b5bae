import type { PoolClient } from 'pg';
import type { AppendResult, Clock, StoredEvent } from '../port/event-store.port';
import { EMPTY_STREAM, nextRecordedAt, type StreamTip } from '../core/append-plan';
import { planBatch, type AppendRequest, type BatchBase } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import { checkImport, contextOf } from '../core/import-plan';
import { toJsonValue } from '../core/json-value';
import { run } from './postgres-query';
import {
  insertParams,
  rowOf,
  rowOfAppended,
  translateConstraint,
  type BatchBaseRow,
  type RowToInsert,
  type Statements,
} from './postgres-sql';

/**
 * The bodies of the PostgreSQL store's write transactions. Both run after `beginLocked` (BEGIN and
 * the log-wide advisory lock), so the base they read cannot move until COMMIT.
 */

/** What the log holds of a batch, as read under the append lock. */
export type LockedBase = BatchBase & { lastRecordedAt: string | undefined };

/** What the log holds of a batch: its stored ids, its streams' tips, the head and its time. */
async function readBase(
  client: PoolClient,
  sql: Statements,
  eventIds: readonly string[],
  streamIds: readonly string[],
): Promise<LockedBase> {
  const { rows } = await run<BatchBaseRow>(client, sql.batchBase, [eventIds, [...new Set(streamIds)]]);
  return baseOf(rows);
}

/** The base from `batchBase` rows (also what `append_events` answers when a guess was wrong). */
export function baseOf(rows: readonly BatchBaseRow[]): LockedBase {
  const tips = new Map<string, StreamTip>();
  const storedIds = new Set<string>();
  let head = 0n;
  let lastRecordedAt: string | undefined;
  for (const row of rows) {
    if (row.kind === 'id') storedIds.add(row.key);
    else if (row.kind === 'tip') tips.set(row.key, { version: row.version ?? 0, lastHash: row.value ?? '' });
    else {
      head = BigInt(row.key);
      lastRecordedAt = row.value ?? undefined;
    }
  }
  return { head, lastRecordedAt, tips, storedIds };
}

/**
 * One group commit: three statements whatever the batch size (read the base, plan in memory,
 * insert every accepted event and NOTIFY in one statement). A request that fails its checks takes
 * nothing, so it fails alone; if the insert itself fails (only a writer ignoring the lock could
 * cause it) the transaction is lost for all, and the store retries the requests one by one.
 */
export async function writeBatch(
  client: PoolClient,
  sql: Statements,
  requests: readonly AppendRequest[],
  clock: Clock,
  notify: boolean,
): Promise<{ outcomes: Outcome<AppendResult>[]; base: LockedBase; stored: StoredEvent[] }> {
  const base = await readBase(
    client,
    sql,
    requests.flatMap((r) => r.events.map((e) => e.eventId)),
    requests.map((r) => r.streamId),
  );
  const { outcomes, stored } = planBatch(requests, base, nextRecordedAt(clock, base.lastRecordedAt));
  const last = stored.at(-1);
  if (last !== undefined) {
    const rows = stored.map(rowOfAppended);
    // A unique violation is left as it is: the store retries the requests one by one.
    if (notify) {
      await run(client, sql.insertAndNotify, [...insertParams(rows), sql.channel, last.position.toString()]);
    } else {
      await run(client, sql.insert, insertParams(rows));
    }
  }
  return { outcomes, base, stored };
}

/** Checked under the lock, so the base it is checked against cannot move. */
export async function writeRecorded(
  client: PoolClient,
  sql: Statements,
  events: readonly StoredEvent[],
  notify: boolean,
): Promise<void> {
  const base = await readBase(
    client,
    sql,
    events.map((e) => e.eventId),
    events.map((e) => e.streamId),
  );
  checkImport(events, {
    head: base.head,
    lastRecordedAt: base.lastRecordedAt,
    tip: (streamId) => base.tips.get(streamId) ?? EMPTY_STREAM,
    hasEventId: (eventId) => base.storedIds.has(eventId),
  });
  const rows: RowToInsert[] = events.map((event) =>
    rowOf(
      event,
      JSON.stringify(toJsonValue(event.data)),
      JSON.stringify(contextOf(event.metadata)),
      event.metadata.hash,
      event.metadata.prevHash,
      event.metadata.recordedAt,
    ),
  );
  const last = events.at(-1);
  try {
    if (notify) {
      await run(client, sql.insertAndNotify, [
        ...insertParams(rows),
        sql.channel,
        String(last?.position ?? 0n),
      ]);
    } else {
      await run(client, sql.insert, insertParams(rows));
    }
  } catch (error) {
    throw translateConstraint(error, rows[0]?.eventId);
  }
}
