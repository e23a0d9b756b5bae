import type { Pool } from 'pg';
import {
  TEST_DATABASE_URL,
  describeWithPostgres,
  testPool,
  uniqueSchemaName,
} from '../../../event-store/src/postgres/testing/test-database';
import { PROJECTED_CHANNEL, readModelLockKey } from './postgres-read-model.schema';
import { ProjectorLease, type ProjectorLeaseOptions } from './projector-lease';

const until = async (condition: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describeWithPostgres('the projector lease', () => {
  let admin: Pool;
  const leases: ProjectorLease[] = [];
  beforeAll(() => {
    admin = testPool({ max: 2 });
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.stop();
  });
  afterAll(() => admin.end());

  function lease(schema: string, overrides: Partial<ProjectorLeaseOptions> = {}) {
    const events: string[] = [];
    const projected: bigint[] = [];
    const created = new ProjectorLease({
      url: TEST_DATABASE_URL,
      schema,
      contend: true,
      retryMs: 100,
      onAcquired: () => (events.push('acquired'), Promise.resolve()),
      onLost: () => events.push('lost'),
      onProjected: (position) => projected.push(position),
      onError: () => undefined,
      ...overrides,
    });
    leases.push(created);
    return { lease: created, events, projected };
  }

  it('is held by one process at a time; a standby takes over when the holder stops', async () => {
    const schema = uniqueSchemaName('lease');
    const a = lease(schema);
    const b = lease(schema);
    const off = lease(schema, { contend: false });
    await a.lease.start();
    await b.lease.start();
    await off.lease.start();
    expect([a.lease.holds, b.lease.holds, off.lease.holds]).toEqual([true, false, false]);
    await a.lease.stop();
    await until(() => b.lease.holds);
    expect(b.events).toEqual(['acquired']);
    expect(off.lease.holds).toBe(false);
  });

  it('passes to a standby when the holder’s session dies, and the old holder learns it lost it', async () => {
    const schema = uniqueSchemaName('lease');
    const a = lease(schema);
    const b = lease(schema);
    await a.lease.start();
    await b.lease.start();
    // As if the holder's host vanished: its session ends, and with it the lock.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND ((classid::bigint << 32) | objid::bigint) = ($1::bigint & x'FFFFFFFFFFFFFFFF'::bigint)`,
      [readModelLockKey('projector', schema)],
    );
    await until(() => b.lease.holds && a.events.includes('lost'));
    expect(a.lease.holds).toBe(false);
  });

  it('tells every replica of the projector’s commits in its schema', async () => {
    const schema = uniqueSchemaName('lease');
    const a = lease(schema);
    const b = lease(schema, { contend: false });
    await a.lease.start();
    await b.lease.start();
    await admin.query('SELECT pg_notify($1, $2)', [PROJECTED_CHANNEL, `${schema} 42`]);
    await admin.query('SELECT pg_notify($1, $2)', [PROJECTED_CHANNEL, `other_schema 7`]);
    await until(() => a.projected.length > 0 && b.projected.length > 0);
    expect([a.projected, b.projected]).toEqual([[42n], [42n]]);
  });
});
