import { Inject, Injectable } from '@nestjs/common';
import {
  IDENTITY_FIELDS,
  isSealed,
  openIdentity,
  ProtectionError,
  sealIdentity,
  SOURCE_KEYS,
  type SourceKeys,
} from '@app/protection';
import { sourceDecider, type SourceState } from '../../domain/source.decider';
import type { SourceEvent } from '../../domain/source.events';
import { sourceStreamId } from '../../domain/source.events';
import { DecisionRunner } from './decision-runner';

/** Who a protected source is, for readers with `sources:identity`. */
export interface SourceIdentity {
  name: string;
  nameLatin?: string;
  role?: string;
}

/**
 * The application step between the source decider and the append: a protected source's identity
 * fields are sealed with its own key before the event is hashed, so the log (and everything made
 * from it) never holds them in the clear; and, for permitted readers only, opened again at read time.
 * The decider stays pure and never sees a key: it validates the plaintext command and folds sealed text.
 */
@Injectable()
export class SourceIdentityProtection {
  constructor(
    @Inject(SOURCE_KEYS) private readonly keys: SourceKeys,
    private readonly runner: DecisionRunner,
  ) {}

  /** PrepareEvents for the source stream: seals registrations and amendments of protected sources. */
  readonly seal = async (events: SourceEvent[], state: SourceState): Promise<SourceEvent[]> => {
    const sealed: SourceEvent[] = [];
    for (const event of events) sealed.push(await this.sealOne(event, state));
    return sealed;
  };

  /** PrepareEvents for a shredding: the key goes before the event that says so is appended. */
  readonly destroyKey = async (events: SourceEvent[]): Promise<SourceEvent[]> => {
    for (const event of events) {
      if (event.type === 'SourceIdentityShredded') await this.keys.shred(event.data.sourceId);
    }
    return events;
  };

  /**
   * The identity of a protected source that is not shredded, opened with its key; undefined for
   * any other source, and for one whose key is gone (a shredding on another replica, say). A
   * source registered before sealing existed, never amended since, has its identity in the log in
   * the clear and no key: it is shown as the log has it (to permitted readers only, as any other).
   */
  async identityOf(sourceId: string): Promise<SourceIdentity | undefined> {
    const { state } = await this.runner.load(sourceStreamId(sourceId), sourceDecider);
    if (!state.registered || !state.fields.protected || state.shredded) return undefined;
    let key: Buffer = Buffer.alloc(0);
    if (hasSealedField(state.fields)) {
      const found = this.keys.configured ? await this.keys.get(sourceId) : undefined;
      if (!found) return undefined;
      key = found;
    }
    const { name, nameLatin, role } = openIdentity(key, sourceId, state.fields);
    if (typeof name !== 'string') return undefined;
    return {
      name,
      ...(typeof nameLatin === 'string' && { nameLatin }),
      ...(typeof role === 'string' && { role }),
    };
  }

  private async sealOne(event: SourceEvent, state: SourceState): Promise<SourceEvent> {
    switch (event.type) {
      case 'SourceRegistered': {
        if (!event.data.protected) return event;
        const key = await this.keys.createOrGet(event.data.sourceId);
        return { ...event, data: sealIdentity(key, event.data.sourceId, event.data) };
      }
      case 'SourceAmended': {
        if (!state.registered || !state.fields.protected) return event;
        // A source registered in the clear (before sealing) gets its key at its first amendment;
        // any other must have one already (a key created now could outlive a concurrent shredding).
        const key = hasSealedField(state.fields)
          ? await this.keys.get(event.data.sourceId)
          : await this.keys.createOrGet(event.data.sourceId);
        if (!key) {
          throw new ProtectionError(
            'SOURCE_KEY_MISSING',
            `source ${event.data.sourceId} has no identity key`,
          );
        }
        const changes = sealIdentity(key, event.data.sourceId, event.data.changes);
        return { ...event, data: { ...event.data, changes } };
      }
      case 'SourceIdentityShredded':
        return event;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }
}

const hasSealedField = (fields: Partial<Record<(typeof IDENTITY_FIELDS)[number], unknown>>): boolean =>
  IDENTITY_FIELDS.some((field) => isSealed(fields[field]));
