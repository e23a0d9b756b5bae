import { GENESIS_HASH } from '@app/integrity';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type ExpectedVersion,
} from '../port/event-store.port';
import type { CheckedEvent } from './append-plan';
import { planBatch, type AppendRequest, type BatchBase } from './batch-plan';

const AT = '2017-10-15T09:00:00.000Z';

function checked(eventId: string): CheckedEvent {
  return {
    eventId,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { eventId },
    dataText: JSON.stringify({ eventId }),
    context: { principal: 'desk', correlationId: 'c' },
  };
}

function request(streamId: string, ids: string[], expected: ExpectedVersion): AppendRequest {
  return { streamId, events: ids.map(checked), expected };
}

const emptyLog: BatchBase = { head: 0n, tips: new Map(), storedIds: new Set() };

describe('planBatch', () => {
  it('checks each request against the log as the requests before it leave it', () => {
    const { outcomes, stored } = planBatch(
      [
        request('claim-1', ['a'], 0),
        request('claim-1', ['b', 'c'], 1),
        request('claim-1', ['d'], 1),
        request('claim-2', ['e'], 0),
        request('claim-1', ['f'], 3),
      ],
      emptyLog,
      AT,
    );

    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true, true]);
    expect(outcomes[2]).toEqual({ ok: false, error: new WrongExpectedVersionError('claim-1', 1, 3) });
    expect(stored.map((e) => [e.eventId, e.streamVersion, e.position])).toEqual([
      ['a', 1, 1n],
      ['b', 2, 2n],
      ['c', 3, 3n],
      ['e', 1, 4n],
      ['f', 4, 5n],
    ]);
    expect(stored[1]?.metadata.prevHash).toBe(stored[0]?.metadata.hash);
    expect(stored[3]?.metadata.prevHash).toBe(GENESIS_HASH);
    expect(stored[4]?.metadata.prevHash).toBe(stored[2]?.metadata.hash);
  });

  it('fails a request that repeats a stored id or one taken earlier in the batch, taking nothing', () => {
    const base: BatchBase = {
      head: 7n,
      tips: new Map([['claim-1', { version: 2, lastHash: 'f'.repeat(64) }]]),
      storedIds: new Set(['old']),
    };

    const { outcomes, stored } = planBatch(
      [
        request('claim-1', ['x', 'old'], 2),
        request('claim-1', ['y'], 2),
        request('claim-2', ['y'], 'any'),
        request('claim-3', ['z'], 'any'),
      ],
      base,
      AT,
    );

    expect(outcomes.map((o) => o.ok)).toEqual([false, true, false, true]);
    expect(outcomes[0]).toEqual({ ok: false, error: new DuplicateEventError('old') });
    expect(outcomes[2]).toEqual({ ok: false, error: new DuplicateEventError('y') });
    expect(stored.map((e) => [e.eventId, e.streamVersion, e.position])).toEqual([
      ['y', 3, 8n],
      ['z', 1, 9n],
    ]);
    expect(stored[0]?.metadata.prevHash).toBe('f'.repeat(64));
    expect(new Set(stored.map((e) => e.metadata.recordedAt))).toEqual(new Set([AT]));
  });
});
