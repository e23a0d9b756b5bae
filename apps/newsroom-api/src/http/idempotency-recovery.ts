import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventCodec, writeIdOf } from '@app/claims';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import type { IdempotencyRecord, IdempotencyStore } from '../idempotency/idempotency.port';
import { idempotentCommandId } from '../idempotency/request-identity';
import { IDEMPOTENCY_STORE } from '../persistence/persistence.tokens';

/**
 * A pending key whose process stopped before answering (see IdempotencyRecord.abandoned). If its
 * command committed, the log says so: the events of an idempotent request carry its command id as
 * `causationId` (API-key digest, Idempotency-Key and request fingerprint, hashed: see
 * request-identity.ts), so the key is completed with the answer the client would have had and a
 * retry appends nothing. If not, the key is released and the retry runs the command. Never matched
 * by principal name: two API keys may share one during a rotation.
 *
 * At start for every abandoned key (on SQLite: all pending keys, the file being this process's);
 * on PostgreSQL also on demand, when a request meets a key a stopped replica left pending.
 */
@Injectable()
export class IdempotencyRecovery {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly keys: IdempotencyStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
  ) {}

  async recover(): Promise<void> {
    const abandoned = await this.keys.abandoned();
    if (abandoned.length === 0) return;
    const { completed, released } = await this.resolve(abandoned);
    this.logger.warn(
      `resolved ${abandoned.length} idempotency key(s) left pending by a stopped process: ${completed} committed, ${released} released`,
    );
  }

  /** Completes or releases each record from what the log holds (one pass over the log). */
  async resolve(records: readonly IdempotencyRecord[]): Promise<{ completed: number; released: number }> {
    const committed = await this.findCommitted(records);
    let completed = 0;
    let released = 0;
    for (const record of records) {
      const event = committed.get(matchId(record));
      if (!event) {
        if (await this.keys.release(record.keyDigest, record.key, record.token)) released += 1;
        continue;
      }
      const id = writeIdOf(this.codec.decode(event));
      const done = await this.keys.complete(record.keyDigest, record.key, record.token, {
        status: 201,
        body: { id, streamVersion: event.streamVersion, position: event.position.toString() },
        etag: `"${event.streamVersion}"`,
      });
      if (done) completed += 1;
    }
    return { completed, released };
  }

  /**
   * The last event of an append carries the version and position answered: the last match wins.
   * Events answering a key are recorded after it was reserved, so the scan starts at the position
   * recorded an hour before the oldest reservation (replicas' clocks may differ a little).
   */
  private async findCommitted(records: readonly IdempotencyRecord[]): Promise<Map<string, StoredEvent>> {
    const wanted = new Set(records.map(matchId));
    const found = new Map<string, StoredEvent>();
    for (let after = await this.scanFrom(records); ;) {
      const page = await this.store.readAll({ after, limit: 5000 });
      const last = page[page.length - 1];
      if (!last) return found;
      for (const event of page) {
        const id = eventMatchId(event);
        if (id !== undefined && wanted.has(id)) found.set(id, event);
      }
      after = last.position;
    }
  }

  private async scanFrom(records: readonly IdempotencyRecord[]): Promise<bigint> {
    const times = records.map((r) => Date.parse(r.reservedAt));
    if (times.some((t) => Number.isNaN(t))) return 0n;
    const from = new Date(Math.min(...times) - CLOCK_MARGIN_MS).toISOString();
    return this.store.positionAt(from);
  }
}

const CLOCK_MARGIN_MS = 60 * 60 * 1000;

/**
 * How a record is looked for in the log. A key reserved before tokens existed (an upgrade while a
 * request was in flight) has no command id in its events: it is matched as it was then, by
 * principal and Idempotency-Key, once.
 */
function matchId(record: IdempotencyRecord): string {
  return record.token === ''
    ? legacyId(record.principal, record.key)
    : idempotentCommandId(record.keyDigest, record.key, record.fingerprint);
}

function eventMatchId(event: StoredEvent): string | undefined {
  const { causationId, idempotencyKey, principal } = event.metadata;
  if (causationId !== undefined) return causationId;
  return idempotencyKey === undefined ? undefined : legacyId(principal, idempotencyKey);
}

const legacyId = (principal: string, key: string): string => `legacy:${principal}\u0000${key}`;
