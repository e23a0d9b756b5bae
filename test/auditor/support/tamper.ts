import BetterSqlite3 from 'better-sqlite3';
import { GENESIS_HASH, hashEvent } from '@app/integrity';

/** A deterministic PRNG (mulberry32): a failing seed replays exactly. */
export function prng(seed: number): { int(below: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (below) => Math.floor(next() * below),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

export interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: string;
  prev_hash: string;
  recorded_at: string;
}

export const TAMPERINGS = ['alter', 'delete', 'swap', 'insert', 'truncate', 'rewrite-stream'] as const;
export type Tampering = (typeof TAMPERINGS)[number];

/** What verify must say: `plain` without a tree head, `against` with the checkpoint. */
export interface Expectation {
  plain: { kind: string; position: string } | 'ok';
  against: { kind: string; position: string };
}

const COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at';

/**
 * What an attacker with the file can do: the append-only triggers and the unique constraints are
 * schema, not protection, so they go first (the table is rebuilt without them).
 */
export function openForTampering(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.exec(`
    DROP TRIGGER IF EXISTS events_no_update;
    DROP TRIGGER IF EXISTS events_no_delete;
    CREATE TABLE events_loose AS SELECT ${COLUMNS} FROM events;
    DROP TABLE events;
    CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT, stream_id TEXT, stream_version INTEGER,
      type TEXT, schema_version INTEGER, data TEXT, metadata TEXT, hash TEXT, prev_hash TEXT, recorded_at TEXT);
    INSERT INTO events SELECT * FROM events_loose;
    DROP TABLE events_loose;
  `);
  return db;
}

export function rows(db: BetterSqlite3.Database): Row[] {
  return db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY position`).all() as Row[];
}

/** Applies one random tampering of `kind` and says what verify must report. */
export function tamper(
  db: BetterSqlite3.Database,
  kind: Tampering,
  random: ReturnType<typeof prng>,
  checkpointLast: string,
): Expectation {
  const log = rows(db);
  switch (kind) {
    case 'alter':
      return alter(db, log, random);
    case 'delete':
      return remove(db, log, random);
    case 'swap':
      return swap(db, log, random);
    case 'insert':
      return insert(db, log, random);
    case 'truncate':
      return truncate(db, log, random);
    case 'rewrite-stream':
      return rewriteStream(db, log, random, checkpointLast);
  }
}

const at = (kind: string, position: number) => ({ kind, position: String(position) });

function alter(db: BetterSqlite3.Database, log: Row[], random: ReturnType<typeof prng>): Expectation {
  const row = random.pick(log);
  const changes: [string, unknown][] = [
    ['data', JSON.stringify({ ...(JSON.parse(row.data) as object), note: 'edited later' })],
    ['data', row.data.replace(/"[^"]*"(?=[,}])/, '"changed"')],
    ['metadata', JSON.stringify({ ...(JSON.parse(row.metadata) as object), principal: 'someone-else' })],
    ['metadata', JSON.stringify({ ...(JSON.parse(row.metadata) as object), smuggled: 'x' })],
    ['recorded_at', new Date(Date.parse(row.recorded_at) - 1).toISOString()],
    ['type', 'VerdictIssued'],
    ['schema_version', row.schema_version + 1],
    ['event_id', `${row.event_id}-x`],
    ['stream_version', row.stream_version + 100],
    ['hash', '0'.repeat(64)],
    ['prev_hash', 'f'.repeat(64)],
  ];
  const [column, picked] = random.pick(changes);
  const value = column === 'data' && picked === row.data ? JSON.stringify({ replaced: true }) : picked;
  db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(value, row.position);
  return { plain: at('altered', row.position), against: at('altered', row.position) };
}

/** Not the last event: that is a truncation, which only a tree head can reveal. */
function remove(db: BetterSqlite3.Database, log: Row[], random: ReturnType<typeof prng>): Expectation {
  const row = log[random.int(log.length - 1)]!;
  db.prepare('DELETE FROM events WHERE position = ?').run(row.position);
  return { plain: at('missing', row.position), against: at('missing', row.position) };
}

/** Two events with different recorded times exchange places (all columns but the position). */
function swap(db: BetterSqlite3.Database, log: Row[], random: ReturnType<typeof prng>): Expectation {
  let i = random.int(log.length);
  let j = random.int(log.length);
  while (i === j || log[i]!.recorded_at === log[j]!.recorded_at) j = random.int(log.length);
  if (i > j) [i, j] = [j, i];
  const first = log[i]!;
  const second = log[j]!;
  const put = db.prepare(
    `UPDATE events SET event_id = @event_id, stream_id = @stream_id, stream_version = @stream_version, type = @type,
       schema_version = @schema_version, data = @data, metadata = @metadata, hash = @hash, prev_hash = @prev_hash,
       recorded_at = @recorded_at WHERE position = @at`,
  );
  put.run({ ...second, at: first.position });
  put.run({ ...first, at: second.position });
  return { plain: at('reordered', first.position), against: at('reordered', first.position) };
}

/**
 * A forged event with a valid hash, chained where the event at `p` is (same stream, version and
 * predecessor), slipped in before it; later positions are renumbered so none is missing.
 */
function insert(db: BetterSqlite3.Database, log: Row[], random: ReturnType<typeof prng>): Expectation {
  const genuine = log[1 + random.int(log.length - 1)]!;
  type Context = { principal: string; correlationId: string };
  const metadata = { ...(JSON.parse(genuine.metadata) as Context), principal: 'forger' };
  const data = { ...(JSON.parse(genuine.data) as object), forged: true };
  const forged = {
    eventId: `forged-${genuine.position}`,
    streamId: genuine.stream_id,
    streamVersion: genuine.stream_version,
    type: genuine.type,
    schemaVersion: genuine.schema_version,
    data,
    metadata: { ...metadata, recordedAt: genuine.recorded_at },
    prevHash: genuine.prev_hash,
  };
  const hash = hashEvent(forged);
  db.prepare('UPDATE events SET position = position + 1000000000 WHERE position >= ?').run(genuine.position);
  db.prepare('UPDATE events SET position = position - 999999999 WHERE position >= 1000000000').run();
  db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    genuine.position,
    forged.eventId,
    forged.streamId,
    forged.streamVersion,
    forged.type,
    forged.schemaVersion,
    JSON.stringify(data),
    JSON.stringify(metadata),
    hash,
    forged.prevHash,
    genuine.recorded_at,
  );
  return { plain: at('inserted', genuine.position), against: at('inserted', genuine.position) };
}

function truncate(db: BetterSqlite3.Database, log: Row[], random: ReturnType<typeof prng>): Expectation {
  const keep = 1 + random.int(log.length - 1);
  db.prepare('DELETE FROM events WHERE position > ?').run(log[keep - 1]!.position);
  return { plain: 'ok', against: at('truncated', log[keep - 1]!.position + 1) };
}

/** Every event of one stream changed and its whole chain re-hashed: each link still holds. */
function rewriteStream(
  db: BetterSqlite3.Database,
  log: Row[],
  random: ReturnType<typeof prng>,
  checkpointLast: string,
): Expectation {
  const streamId = random.pick(log).stream_id;
  let prevHash = GENESIS_HASH;
  const update = db.prepare('UPDATE events SET data = ?, hash = ?, prev_hash = ? WHERE position = ?');
  for (const row of log.filter((r) => r.stream_id === streamId)) {
    const data = { ...(JSON.parse(row.data) as object), rewritten: true };
    const metadata = JSON.parse(row.metadata) as Record<string, string>;
    const hash = hashEvent({
      eventId: row.event_id,
      streamId,
      streamVersion: row.stream_version,
      type: row.type,
      schemaVersion: row.schema_version,
      data,
      metadata: { ...metadata, recordedAt: row.recorded_at } as never,
      prevHash,
    });
    update.run(JSON.stringify(data), hash, prevHash, row.position);
    prevHash = hash;
  }
  // The stream's tip is its last row (decision 0028): nothing else to keep in step.
  return { plain: 'ok', against: { kind: 'rewritten', position: checkpointLast } };
}
