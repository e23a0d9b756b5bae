import fc from 'fast-check';
import { InMemoryEventStore } from '../memory/in-memory-event-store';
import type { NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

/*
 * The seek through the position log is the one piece of the adapter with arithmetic in it
 * (batch starts, anchors, skips, the cursor). Property: for any history of appends — batches of
 * several events, several streams, another log's appends interleaved on the same server, either
 * record layout — every page `readAll` returns, from a cold or a warm reader, and every
 * `positionAt`, equals what the in-memory reference store answers for the same history.
 */

const append = fc.record({
  stream: fc.integer({ min: 0, max: 3 }),
  size: fc.integer({ min: 1, max: 4 }),
  /** Milliseconds the clock moves first (0: same instant as the previous append). */
  advance: fc.constantFrom(0, 0, 1000, 60_000),
  /** Whether another log on the same server appends just before. */
  neighbour: fc.boolean(),
});
const query = fc.record({
  after: fc.integer({ min: 0, max: 45 }),
  span: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  limit: fc.integer({ min: 1, max: 7 }),
});

let ids = 0;
function batch(size: number): NewEvent[] {
  return Array.from({ length: size }, () => ({
    eventId: `p-${(ids += 1)}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { n: ids },
    metadata: { principal: 'desk', correlationId: 'corr' },
  }));
}

describe('KurrentDbEventStore paging (property, fake server)', () => {
  it('answers readAll and positionAt exactly as the reference store, for any history', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(append, { minLength: 1, maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('request-order' as const, 'reversed' as const),
        async (history, queries, layout) => {
          const server = new FakeKurrentDbClient(layout);
          const clock = new TestClock('2017-10-15T09:00:00.000Z');
          const reference = new InMemoryEventStore(clock);
          const store = new KurrentDbEventStore(server.asClient(), clock, { prefix: 'ours' });
          const neighbour = new KurrentDbEventStore(server.asClient(), clock, { prefix: 'theirs' });
          await store.createLog();
          await neighbour.createLog();
          for (const step of history) {
            clock.advance(step.advance);
            if (step.neighbour) await neighbour.append('claim-x', batch(2), 'any');
            const events = batch(step.size);
            await reference.append(`claim-${step.stream}`, events, 'any');
            await store.append(`claim-${step.stream}`, events, 'any');
          }

          const cold = () => new KurrentDbEventStore(server.asClient(), clock, { prefix: 'ours' });
          for (const { after, span, limit } of queries) {
            const options = {
              after: BigInt(after),
              to: span === undefined ? undefined : BigInt(after + span),
              limit,
            };
            const expected = await reference.readAll(options);
            expect(await cold().readAll(options)).toEqual(expected);
            expect(await store.readAll(options)).toEqual(expected);
          }
          // A warm reader paging through the whole log, as the projector does.
          let checkpoint = 0n;
          for (;;) {
            const page = await store.readAll({ after: checkpoint, limit: 3 });
            expect(page).toEqual(await reference.readAll({ after: checkpoint, limit: 3 }));
            if (page.length === 0) break;
            checkpoint = page.at(-1)!.position;
          }
          for (const instant of [
            '2017-10-15T08:00:00.000Z',
            '2017-10-15T09:00:01.000Z',
            '2017-10-15T09:30:00.000Z',
            '2030-01-01T00:00:00.000Z',
          ]) {
            expect(await store.positionAt(instant)).toBe(await reference.positionAt(instant));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
