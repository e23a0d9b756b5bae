import type { Pool } from 'pg';
import { type EventStore, openPostgresEventStore, systemClock } from '@app/event-store';
import {
  describeWithPostgres,
  TEST_DATABASE_URL,
  testPool,
  uniqueSchemaName,
} from '@app/event-store/postgres/testing/test-database';
import { auditPass } from './audit-pass';
import type { CliIo } from './cli-io';
import { auditorConfig, type LogSource, openLogSource } from './log-source';

const io: CliIo = {
  stdout: { write: () => true },
  stderr: { write: () => true, isTTY: false },
  env: {},
};

/** Events with what the text path must get exactly right: Arabic, nesting, numbers, key orders. */
async function appendLog(store: EventStore): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    const streamId = `claim-${i % 7}`;
    const version = Math.floor(i / 7);
    await store.append(
      streamId,
      [
        {
          eventId: `e-${i}`,
          type: 'StatementReported',
          schemaVersion: 1,
          data: {
            quote: { text: 'لن يعلق على من سيكون في القافلة', language: 'ar' },
            value: { kind: 'quantity', amount: i * 1.25, upper: 1e21 + i },
            note: i % 3 === 0 ? 'a "quoted" line\nand a second' : null,
            zeta: [i, { b: true, a: false }],
          },
          metadata: { principal: 'reporter-1', correlationId: `corr-${i}`, idempotencyKey: `k-${i}` },
        },
      ],
      version,
    );
  }
}

describeWithPostgres('verify on PostgreSQL: the text path', () => {
  let admin: Pool;
  let schema: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    admin = testPool();
    schema = uniqueSchemaName('audit_text');
    const store = await openPostgresEventStore({
      url: TEST_DATABASE_URL,
      schema,
      clock: systemClock,
      onIdleError: () => undefined,
    });
    await appendLog(store);
    await store.close();
    env = { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: schema };
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** The same pass twice: through the stored text, and parsed through the store (the definition). */
  async function bothWays() {
    const source = await openLogSource(auditorConfig(env), { mustExist: true });
    try {
      expect(source.textPages).toBeDefined();
      const parsedOnly: LogSource = { ...source, textPages: undefined };
      return {
        text: await auditPass(source, io, { json: true }),
        parsed: await auditPass(parsedOnly, io, { json: true }),
      };
    } finally {
      await source.close();
    }
  }

  it('passes the intact log with the report the parsed path gives', async () => {
    const { text, parsed } = await bothWays();
    expect(text).toMatchObject({ ok: true, events: 40, streams: 7, lastPosition: '40' });
    expect(text).toEqual(parsed);
  });

  it('names an edited row exactly as the parsed path does', async () => {
    await admin.query(`ALTER TABLE "${schema}".events DISABLE TRIGGER USER`);
    await admin.query(
      `UPDATE "${schema}".events SET data = '{"zeta": [1], "quote": {"text": "edited"}}' WHERE position = 17`,
    );
    const { text, parsed } = await bothWays();
    expect(text.problem).toMatchObject({ kind: 'altered', position: '17' });
    expect(text).toEqual(parsed);
  });
});
