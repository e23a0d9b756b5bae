import type { PoolClient } from 'pg';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  StoredEvent,
  StreamTurn,
} from '../port/event-store.port';
import { checkAppend } from '../core/append-plan';
import type { AppendRequest } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import { fromVersionOf } from '../core/read-options';
import { withoutBusy, type GroupWriter } from './postgres-group-commit';
import { appendInOneTrip } from './postgres-one-trip';
import { run, transaction, type Queryable } from './postgres-query';
import { MAX_POSITION, toStoredEvent, type EventRow } from './postgres-sql';
import { writeBatch } from './postgres-writes';

/**
 * A stream's turn (docs/decisions/0033, 0043, postgres-stream-locks.ts): one transaction on one
 * pooled connection that takes the stream's lock (with BEGIN, in one round trip), reads, lets the
 * caller decide, appends outside the group commit, and commits. Every other append to the stream
 * tries the same lock and is answered busy while this holds it, so nothing else commits on the
 * stream meanwhile: the version read here is the tip, and the append made with it wins.
 *
 * It holds its one connection throughout and never asks the pool for another, so turns, however
 * many, can never wait on the pool for a connection that a waiting turn holds. `announce` is told
 * the position once the commit is visible.
 */
export async function takeStreamTurn<T>(
  writer: GroupWriter,
  streamId: string,
  work: (turn: StreamTurn) => Promise<T>,
  announce: (head: bigint) => void,
): Promise<T> {
  let appended: AppendResult | undefined;
  const result = await transaction(
    writer.pool,
    (client) =>
      work({
        readStream: (options = {}) => readStreamOn(client, writer, streamId, fromVersionOf(options)),
        append: async (events: readonly NewEvent[], expected: ExpectedVersion) => {
          if (appended !== undefined) throw new Error(`a turn on ${streamId} appends once`);
          const request = { streamId, events: checkAppend(streamId, events, expected), expected };
          const [outcome] = await appendInTurn(client, writer, [request]);
          if (outcome === undefined) throw new Error('stream turn: no outcome');
          if (!outcome.ok) throw outcome.error;
          appended = outcome.value;
          return outcome.value;
        },
      }),
    writer.sql.beginTurn(streamId),
  );
  if (appended !== undefined) announce(appended.position);
  return result;
}

/** A stream read to its tip, as the store's readStream; its tip is what the next batch guesses. */
export async function readStreamOn(
  on: Queryable,
  writer: Pick<GroupWriter, 'sql' | 'known'>,
  streamId: string,
  fromVersion: number,
  toPosition?: bigint,
): Promise<StoredEvent[]> {
  const { rows } = await run<EventRow>(on, writer.sql.readStream, [
    streamId,
    (toPosition ?? MAX_POSITION).toString(),
    fromVersion,
  ]);
  const events = rows.map(toStoredEvent);
  if (toPosition === undefined) writer.known.read(streamId, events);
  return events;
}

/**
 * The append of a turn, inside its transaction: `append_events` (which takes the log lock, then
 * tries the stream's lock: granted at once to the session holding it) planned against the tip just
 * read; if its guesses keep missing (the log's last recordedAt moved), the log lock and the base
 * read under it, on the same connection. Committed with the turn.
 */
async function appendInTurn(
  client: PoolClient,
  writer: GroupWriter,
  requests: readonly AppendRequest[],
): Promise<Outcome<AppendResult>[]> {
  const { sql, clock, notify, known } = writer;
  const answer = await appendInOneTrip(client, sql, requests, clock, notify, known);
  if (Array.isArray(answer)) return answer;
  // Cannot be busy (this session holds the stream's lock); answered as busy all the same if it were.
  if (answer !== undefined) return withoutBusy(requests, answer.busy, () => Promise.resolve([]));
  await run(client, sql.lockLog, []);
  const written = await writeBatch(client, sql, requests, clock, notify);
  known.committed(written.stored);
  return written.outcomes;
}
