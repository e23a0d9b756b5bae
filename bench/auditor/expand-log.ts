/**
 * Synthetic logs for the auditor's tests and memory figure: a template log (the Raqqa demo as
 * exported) repeated with fresh ids until it has `count` events. Every copy is real domain data, so
 * the projection runs on it as on the demo; hashes, chains and times are recomputed as a store would.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StoredEvent } from '@app/event-store';
import { GENESIS_HASH, hashEvent } from '@app/integrity';

/** Data keys that hold an id of a source, claim, statement or verdict: rewritten in each copy. */
const ID_KEYS = new Set([
  'sourceId',
  'claimId',
  'statementId',
  'affiliationId',
  'verdictId',
  'storyId',
  'evidence',
]);

export interface ExpandOptions {
  /** recordedAt of the first event; each later event is one millisecond later, so all differ. */
  start?: Date;
  /**
   * Data objects with their keys in canonical (RFC 8785) order, so a store that writes
   * JSON.stringify(data) stores exactly the canonical text the hash covers, as the stores now write
   * it (decision 0021); false keeps the template's order, as older logs hold it. Default true.
   */
  canonicalData?: boolean;
}

/** Yields `count` chained events; memory is one tip per stream, whatever `count`. */
export function* expandLog(
  templates: readonly StoredEvent[],
  count: number,
  options: ExpandOptions = {},
): Generator<StoredEvent> {
  if (templates.length === 0) throw new Error('expandLog needs at least one template event');
  const start = (options.start ?? new Date('2017-10-15T06:00:00.000Z')).getTime();
  const tips = new Map<string, { version: number; hash: string }>();
  const order = (options.canonicalData ?? true) ? inCanonicalOrder : (value: unknown) => value;
  for (let index = 0; index < count; index += 1) {
    const copy = Math.floor(index / templates.length);
    const template = templates[index % templates.length] as StoredEvent;
    const suffix = copy === 0 ? '' : `-c${copy}`;
    const streamId = `${template.streamId}${suffix}`;
    const tip = tips.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    const event = chained(template, {
      eventId: `${template.eventId}${suffix}`,
      streamId,
      streamVersion: tip.version + 1,
      position: BigInt(index + 1),
      data: order(withSuffix(template.data, suffix)),
      recordedAt: new Date(start + index).toISOString(),
      prevHash: tip.hash,
    });
    tips.set(streamId, { version: event.streamVersion, hash: event.metadata.hash });
    yield event;
  }
}

interface Placement {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: bigint;
  data: unknown;
  recordedAt: string;
  prevHash: string;
}

function chained(template: StoredEvent, at: Placement): StoredEvent {
  const { principal, correlationId, causationId, idempotencyKey } = template.metadata;
  const context = { principal, correlationId, causationId, idempotencyKey };
  const base = {
    eventId: at.eventId,
    streamId: at.streamId,
    streamVersion: at.streamVersion,
    type: template.type,
    schemaVersion: template.schemaVersion,
    data: at.data,
  };
  const hash = hashEvent({
    ...base,
    metadata: { ...context, recordedAt: at.recordedAt },
    prevHash: at.prevHash,
  });
  const metadata = JSON.parse(
    JSON.stringify({ ...context, recordedAt: at.recordedAt, hash, prevHash: at.prevHash }),
  ) as StoredEvent['metadata'];
  return { ...base, position: at.position, metadata };
}

function withSuffix(value: unknown, suffix: string, key?: string): unknown {
  if (suffix === '') return value;
  if (typeof value === 'string') return key !== undefined && ID_KEYS.has(key) ? `${value}${suffix}` : value;
  if (Array.isArray(value)) return value.map((item) => withSuffix(item, suffix, key));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [name, withSuffix(item, suffix, name)]),
  );
}

/**
 * The same value with every object's keys sorted by UTF-16 code units, as canonicalize sorts them:
 * JSON.stringify then writes the canonical text (for keys that are not array indices, which JS
 * objects would put first; the domain's data has none).
 */
function inCanonicalOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inCanonicalOrder);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([name, item]) => [name, inCanonicalOrder(item)]));
}

/** The events of an `audit export` file, for use as templates. */
export async function readTemplates(file: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as Omit<StoredEvent, 'position'> & { position: string };
    events.push({ ...parsed, position: BigInt(parsed.position) });
  }
  return events;
}
