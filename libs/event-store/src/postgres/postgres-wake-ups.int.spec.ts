import type { Pool } from 'pg';
import type { NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { PostgresEventStore } from './postgres-event-store';
import { describeWithPostgres, dropSchema, testPool, uniqueSchemaName } from './testing/test-database';

let counter = 0;
function event(): NewEvent {
  counter += 1;
  return {
    eventId: `wake-evt-${counter}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { n: counter },
    metadata: { principal: 'desk', correlationId: 'corr' },
  };
}

/** Two stores on one schema through two pools stand for two processes (replicas) on one log. */
describeWithPostgres('PostgresEventStore wake-ups across processes (LISTEN/NOTIFY)', () => {
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];
  const schemas: string[] = [];

  function ownPool(): Pool {
    const p = testPool();
    pools.push(p);
    return p;
  }
  const pool = (): Pool => pools[0] ?? ownPool();

  async function openStore(schema = uniqueSchemaName(), clock = new TestClock(), on: Pool = ownPool()) {
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = new PostgresEventStore(on, clock, { schema });
    stores.push(store);
    await store.migrate();
    return { store, clock, schema };
  }

  afterEach(async () => {
    // Stores first: one with onAppended listeners holds a LISTEN client.
    for (const store of stores.splice(0)) await store.close();
    for (const schema of schemas.splice(0)) await dropSchema(pool(), schema);
    for (const p of pools.splice(0)) await p.end();
  });

  function listener() {
    const heard: bigint[] = [];
    let waiting: { until: bigint; resolve: () => void } | undefined;
    return {
      heard,
      onHead(head: bigint): void {
        heard.push(head);
        if (waiting !== undefined && head >= waiting.until) waiting.resolve();
      },
      /** Resolves once a head at or past `until` has been heard: no timing involved. */
      hear(until: bigint): Promise<void> {
        return new Promise<void>((resolve) => {
          if (heard.some((h) => h >= until)) resolve();
          else waiting = { until, resolve };
        });
      },
    };
  }

  it("calls another store's onAppended listeners with each committed batch head", async () => {
    const a = await openStore();
    const b = await openStore(a.schema, new TestClock(), ownPool());
    const onA = listener();
    a.store.onAppended((head) => onA.onHead(head));
    await a.store.listening();
    const onB = listener();
    b.store.onAppended((head) => onB.onHead(head));
    await b.store.listening();

    const first = await a.store.append('claim-1', [event(), event()], 0);
    await onB.hear(first.position);
    const batch = await Promise.all([
      a.store.append('claim-1', [event()], 2),
      a.store.append('claim-2', [event()], 0),
    ]);
    await onB.hear(batch[1].position);

    expect(onB.heard).toEqual([2n, 4n]);
    // The writer hears each of its batches once, though its own NOTIFY reaches it too.
    expect(onA.heard).toEqual([2n, 4n]);
  });

  it('reconnects after losing its LISTEN connection, and reads the head it may have missed', async () => {
    const a = await openStore();
    let reportLoss: (error: unknown) => void = () => undefined;
    const lost = new Promise<unknown>((resolve) => (reportLoss = resolve));
    const b = new PostgresEventStore(ownPool(), new TestClock(), {
      schema: a.schema,
      reconnectDelayMs: 10,
      onWakeUpError: (error) => reportLoss(error),
    });
    stores.push(b);
    const onB = listener();
    b.onAppended((head) => onB.onHead(head));
    await b.listening();

    const terminated = await pool().query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1',
      [`LISTEN "events_appended_${a.schema}"`],
    );
    expect(terminated.rowCount).toBe(1);
    // Once B knows its connection is gone, A's commit can only reach it through the reconnect:
    // by NOTIFY if B listens again before A commits, or by the head B reads after reconnecting.
    expect(await lost).toMatchObject({ message: expect.stringMatching(/terminat/) });
    const written = await a.store.append('claim-1', [event()], 0);
    await onB.hear(written.position);
    expect(onB.heard).toEqual([1n]);

    await b.listening();
    const later = await a.store.append('claim-1', [event()], 1);
    await onB.hear(later.position);
    expect(onB.heard).toEqual([1n, 2n]);
  });
});
