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
import { run, type Queryable } from './postgres-query';
import { MAX_POSITION, toStoredEvent, type EventRow } from './postgres-sql';

/**
 * A stream's turn (docs/decisions/0033, 0043, postgres-stream-locks.ts): one transaction on one
 * pooled connection that takes the stream's lock (with BEGIN, in one round trip), reads, lets the
 * caller decide, and ends with its one append. Every other append to the stream tries the same
 * lock and is answered busy while this holds it, so nothing else commits on the stream meanwhile:
 * the version read here is the tip, and the append made with it wins.
 *
 * The append and COMMIT go out back to back (appendEndingTurn): `append_events` takes the log-wide
 * lock, which a transaction keeps until it ends, and every writer of both replicas waits for it;
 * a COMMIT sent only once this process had handled the append's answer would hold it for an
 * event-loop turn of a busy process too. So the turn is over when its append returns, and a turn
 * that throws after appending keeps the append.
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
  const client = await writer.pool.connect();
  let open = false;
  let broken: Error | undefined;
  try {
    await client.query(writer.sql.beginTurn(streamId));
    open = true;
    const result = await work({
      readStream: (options = {}) => {
        if (!open) return Promise.reject(new Error(`the turn on ${streamId} is over`));
        return readStreamOn(client, writer, streamId, fromVersionOf(options));
      },
      append: async (events: readonly NewEvent[], expected: ExpectedVersion) => {
        if (!open) throw new Error(`a turn on ${streamId} appends once`);
        const request = { streamId, events: checkAppend(streamId, events, expected), expected };
        open = false;
        const [outcome] = await appendEndingTurn(client, writer, [request]);
        if (outcome === undefined) throw new Error('stream turn: no outcome');
        if (!outcome.ok) throw outcome.error;
        announce(outcome.value.position);
        return outcome.value;
      },
    });
    if (open) await client.query('COMMIT');
    open = false;
    return result;
  } catch (error) {
    // Also after a failed append: its COMMIT may not have been sent (ROLLBACK outside a
    // transaction only warns).
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
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
 * The append that ends a turn: `append_events` (which takes the log lock, then tries the stream's
 * lock: granted at once to the session holding it) planned against the tip just read, and COMMIT
 * queued right behind it: node-postgres sends a connection's next query as soon as the answer to
 * the last arrives, so the locks are released one round trip after the insert, whatever this
 * process is busy with. One guess only (the turn is over once it is answered): if it missed (the
 * log's last recordedAt moved; the tip was read under the stream's lock), nothing was written and
 * the append is answered busy, which the runner takes as a race lost.
 */
async function appendEndingTurn(
  client: PoolClient,
  writer: GroupWriter,
  requests: readonly AppendRequest[],
): Promise<Outcome<AppendResult>[]> {
  const { sql, clock, notify, known } = writer;
  let commit: Promise<unknown> | undefined;
  const answer = await appendInOneTrip(client, sql, requests, clock, notify, known, {
    guesses: 1,
    sent: () => {
      commit = client.query('COMMIT');
      // Awaited below; if the append's own answer throws first, its caller rolls back instead.
      commit.catch(() => undefined);
    },
  });
  await commit;
  if (Array.isArray(answer)) return answer;
  return withoutBusy(requests, answer?.busy ?? new Set(requests.map((r) => r.streamId)), () =>
    Promise.resolve([]),
  );
}
