import { Injectable } from '@nestjs/common';
import { type StoredEvent, Upcaster } from '@app/event-store';
import type { DomainEvent } from './decider';
import { CURRENT_SCHEMA_VERSIONS, UPCASTERS } from './event-schemas';

/** Domain events to stored form and back, upcasting old schema versions on the way in. */
@Injectable()
export class EventCodec {
  private readonly upcaster = new Upcaster(UPCASTERS, CURRENT_SCHEMA_VERSIONS);

  encode(event: DomainEvent): { type: string; schemaVersion: number; data: unknown } {
    const schemaVersion = (CURRENT_SCHEMA_VERSIONS as Record<string, number | undefined>)[event.type];
    if (schemaVersion === undefined) throw new Error(`no schema version for event type ${event.type}`);
    return { type: event.type, schemaVersion, data: event.data };
  }

  decode(stored: StoredEvent): DomainEvent {
    const { type, data } = this.upcaster.upcast(stored);
    return { type, data };
  }
}
