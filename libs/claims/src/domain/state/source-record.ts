import type { SourceAmended, SourceEvent, SourceRegistered } from '../source.events';
import { protectedSourcePlaceholder } from './protected-placeholder';
import type { SourceKind } from '../values';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * A source as the read side knows it after its stream's events (or up to a cut). A protected
 * source's record never holds its identity, sealed or not: `name` is its placeholder and it has no
 * `nameLatin` or `role`, so no read model, replay or export can show them. Readers with
 * `sources:identity` get them from the log and the source's key, at read time.
 */
export interface SourceRecord {
  sourceId: string;
  name: string;
  nameLatin?: string;
  kind: SourceKind;
  role?: string;
  affiliationId?: string;
  protected: boolean;
  /** Its key was destroyed: no one can ever read who it was. */
  shredded?: true;
}

/** Pure fold of one source stream; returns a new record and never mutates its input. */
export function evolveSourceRecord(record: SourceRecord | undefined, event: SourceEvent): SourceRecord {
  switch (event.type) {
    case 'SourceRegistered':
      return registered(record, event.data);
    case 'SourceAmended':
      return amended(record, event.data);
    case 'SourceIdentityShredded':
      if (record === undefined) {
        throw new StreamInvariantError(`source ${event.data.sourceId} shredded before it was registered`);
      }
      return { ...record, shredded: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * DOMAIN.md "voice": an affiliated source speaks with the voice of its organization, and an
 * organization that is part of another with the voice of the one at the top of that chain; everyone
 * else is their own voice. Persons, anonymous sources and organizations fold into their
 * affiliation; a group or an outlet speaks for itself (the decider never lets them name one).
 *
 * `sources` resolves the chain as of the same cut as the source; without it only the first link
 * is followed. A link to a source unknown at that cut ends the chain there. Writes refuse cycles,
 * but two amendments racing on different streams could still close one, so a cycle ends at the
 * first source met twice rather than looping.
 */
export function voiceOf(
  source: SourceRecord,
  sources: (sourceId: string) => SourceRecord | undefined = () => undefined,
): string {
  const seen = new Set<string>([source.sourceId]);
  let current = source;
  while (folds(current) && current.affiliationId !== undefined && !seen.has(current.affiliationId)) {
    const above = sources(current.affiliationId);
    if (above === undefined) return current.affiliationId;
    seen.add(above.sourceId);
    current = above;
  }
  return current.sourceId;
}

/** `voiceOf` for readers whose lookups are asynchronous: the chain, loaded link by link. */
export async function voiceOfLoaded(
  source: SourceRecord,
  load: (sourceId: string) => SourceRecord | undefined | Promise<SourceRecord | undefined>,
): Promise<string> {
  const chain = new Map<string, SourceRecord>([[source.sourceId, source]]);
  let current = source;
  while (folds(current) && current.affiliationId !== undefined && !chain.has(current.affiliationId)) {
    const above = await load(current.affiliationId);
    if (above === undefined) break;
    chain.set(above.sourceId, above);
    current = above;
  }
  return voiceOf(source, (id) => chain.get(id));
}

function folds(source: SourceRecord): boolean {
  switch (source.kind) {
    case 'person':
    case 'anonymous':
    case 'organization':
      return true;
    case 'outlet':
    case 'group':
      return false;
    default: {
      const _exhaustive: never = source.kind;
      return _exhaustive;
    }
  }
}

function registered(record: SourceRecord | undefined, data: SourceRegistered['data']): SourceRecord {
  if (record !== undefined) {
    throw new StreamInvariantError(`source ${data.sourceId} registered twice`);
  }
  return sourceRecord({
    sourceId: data.sourceId,
    name: data.name,
    nameLatin: data.nameLatin,
    kind: data.kind,
    role: data.role,
    affiliationId: data.affiliationId,
    protected: data.protected,
  });
}

function amended(record: SourceRecord | undefined, data: SourceAmended['data']): SourceRecord {
  if (record === undefined) {
    throw new StreamInvariantError(`source ${data.sourceId} amended before it was registered`);
  }
  const { changes } = data;
  return sourceRecord({
    ...(record.shredded && { shredded: true }),
    sourceId: record.sourceId,
    name: changes.name ?? record.name,
    nameLatin: applyOptional(changes.nameLatin, record.nameLatin),
    kind: record.kind,
    role: applyOptional(changes.role, record.role),
    affiliationId: applyOptional(changes.affiliationId, record.affiliationId),
    protected: record.protected,
  });
}

/** `null` clears, `undefined` keeps, anything else replaces. */
function applyOptional<T>(change: T | null | undefined, current: T | undefined): T | undefined {
  if (change === null) return undefined;
  return change === undefined ? current : change;
}

/** Fixed key order and no undefined-valued keys, so rebuilt read models are byte-identical. */
function sourceRecord(fields: {
  shredded?: true;
  sourceId: string;
  name: string;
  nameLatin: string | undefined;
  kind: SourceKind;
  role: string | undefined;
  affiliationId: string | undefined;
  protected: boolean;
}): SourceRecord {
  if (fields.protected) {
    return {
      sourceId: fields.sourceId,
      name: protectedSourcePlaceholder(fields.sourceId),
      kind: fields.kind,
      ...(fields.affiliationId !== undefined && { affiliationId: fields.affiliationId }),
      protected: true,
      ...(fields.shredded && { shredded: true }),
    };
  }
  return {
    sourceId: fields.sourceId,
    name: fields.name,
    ...(fields.nameLatin !== undefined && { nameLatin: fields.nameLatin }),
    kind: fields.kind,
    ...(fields.role !== undefined && { role: fields.role }),
    ...(fields.affiliationId !== undefined && { affiliationId: fields.affiliationId }),
    protected: fields.protected,
  };
}
