import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventCodec, writeIdOf } from '@app/claims';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import { IDEMPOTENCY_STORE } from '../persistence/persistence.tokens';
import type { IdempotencyStore, PendingKey } from './idempotency.store';

/**
 * A key still pending at start belongs to a request whose process stopped before answering. If its
 * command committed, the log says so (every event carries its idempotency key and principal): the
 * key is completed with the answer the client would have had, so a retry appends nothing. If not,
 * the key is released and the retry runs the command.
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
    const pending = this.keys.pending();
    if (pending.length === 0) return;
    const committed = await this.findCommitted(pending);
    for (const key of pending) {
      const event = committed.get(ident(key.principal, key.key));
      if (!event) {
        this.keys.release(key.keyDigest, key.key);
        continue;
      }
      const id = writeIdOf(this.codec.decode(event));
      this.keys.complete(key.keyDigest, key.key, {
        status: 201,
        body: { id, streamVersion: event.streamVersion, position: event.position.toString() },
        etag: `"${event.streamVersion}"`,
      });
    }
    this.logger.warn(`resolved ${pending.length} idempotency key(s) left pending by an earlier process`);
  }

  /** One pass over the log; the last event of an append carries the version and position answered. */
  private async findCommitted(pending: PendingKey[]): Promise<Map<string, StoredEvent>> {
    const wanted = new Set(pending.map((k) => ident(k.principal, k.key)));
    const found = new Map<string, StoredEvent>();
    for (let after = 0n; ;) {
      const page = await this.store.readAll({ after, limit: 5000 });
      const last = page[page.length - 1];
      if (!last) return found;
      for (const event of page) {
        const { idempotencyKey, principal } = event.metadata;
        if (idempotencyKey !== undefined && wanted.has(ident(principal, idempotencyKey))) {
          found.set(ident(principal, idempotencyKey), event);
        }
      }
      after = last.position;
    }
  }
}

const ident = (principal: string, key: string): string => `${principal}\u0000${key}`;
