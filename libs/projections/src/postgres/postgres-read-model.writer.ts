import type { SourceRecord, StatementRecord } from '@app/claims';
import type { ReadModelChanges } from '../newsroom.projection';

interface Runs {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** One data-modifying statement of a combined write, its parameters numbered from `$1`. */
export interface WriteFragment {
  text: string;
  values: unknown[];
}

type Writer<F extends keyof ReadModelChanges> = (
  rows: ReadModelChanges[F],
  ctx: { s: string; searchKeyOf: (source: SourceRecord) => string },
) => WriteFragment | undefined;

/**
 * One writer per kind of change, each one statement for all rows of the batch (arrays through
 * unnest). Rows arrive in event order; a later row with the same key wins, as one upsert after
 * another would on SQLite (PostgreSQL refuses to upsert one row twice in a statement, so rows are
 * de-duplicated first). Adding a field to ReadModelChanges fails to compile here until it has a
 * writer (and in the runner's working set until it says what it touches).
 */
const WRITERS: { [F in keyof ReadModelChanges]: Writer<F> } = {
  sources: (rows, { s, searchKeyOf }) => {
    const sources = lastBy(rows, (r) => r.sourceId);
    if (sources.length === 0) return undefined;
    return fragment(
      `INSERT INTO ${s}.rm_sources (source_id, affiliation_id, kind, search_key, record)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (source_id) DO UPDATE SET affiliation_id = excluded.affiliation_id, kind = excluded.kind,
         search_key = excluded.search_key, record = excluded.record`,
      [
        sources.map((r) => r.sourceId),
        sources.map((r) => r.affiliationId ?? null),
        sources.map((r) => r.kind),
        sources.map((r) => searchKeyOf(r)),
        sources.map((r) => JSON.stringify(r)),
      ],
    );
  },
  claims: (rows, { s }) => {
    const claims = lastBy(rows, (r) => r.record.claimId);
    if (claims.length === 0) return undefined;
    // As on SQLite, a claim keeps the position it was opened at.
    return fragment(
      `INSERT INTO ${s}.rm_claims (claim_id, story_id, status, opened_position, stream_version, record, view)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::text[], $7::text[])
       ON CONFLICT (claim_id) DO UPDATE SET story_id = excluded.story_id, status = excluded.status,
         stream_version = excluded.stream_version, record = excluded.record, view = excluded.view`,
      [
        claims.map((r) => r.record.claimId),
        claims.map((r) => r.record.storyId),
        claims.map((r) => r.view.status),
        claims.map((r) => String(r.record.openedPosition)),
        claims.map((r) => r.record.streamVersion),
        claims.map((r) => JSON.stringify(r.record)),
        claims.map((r) => JSON.stringify(r.view)),
      ],
    );
  },
  claimSources: (rows, { s }) => {
    const pairs = lastBy(rows, (r) => `${r.sourceId}\u0000${r.claimId}`);
    if (pairs.length === 0) return undefined;
    return fragment(
      `INSERT INTO ${s}.rm_claim_sources (source_id, claim_id) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT DO NOTHING`,
      [pairs.map((r) => r.sourceId), pairs.map((r) => r.claimId)],
    );
  },
  statements: (rows, { s }) => {
    const statements = lastBy(rows, (r) => `${r.claimId}\u0000${r.statement.statementId}`);
    if (statements.length === 0) return undefined;
    // As on SQLite, a statement keeps its source and the position it was reported at.
    return fragment(
      `INSERT INTO ${s}.rm_statements
         (claim_id, statement_id, source_id, reported_position, stance, stated_at_ms, retracted, record)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::integer[], $8::text[])
       ON CONFLICT (claim_id, statement_id) DO UPDATE SET stance = excluded.stance,
         stated_at_ms = excluded.stated_at_ms, retracted = excluded.retracted, record = excluded.record`,
      [
        statements.map((r) => r.claimId),
        statements.map((r) => r.statement.statementId),
        statements.map((r) => r.statement.sourceId),
        statements.map((r) => String(r.statement.reportedPosition)),
        statements.map((r) => r.statement.current.stance),
        statements.map((r) => statedAtMs(r.statement)),
        statements.map((r) => (r.statement.retraction === undefined ? 0 : 1)),
        statements.map((r) => JSON.stringify(r.statement)),
      ],
    );
  },
  snapshots: (rows, { s }) => {
    const snapshots = lastBy(rows, (r) => `${r.claimId}\u0000${r.streamVersion}`);
    if (snapshots.length === 0) return undefined;
    return fragment(
      `INSERT INTO ${s}.rm_claim_snapshots (claim_id, stream_version, position, state)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[])
       ON CONFLICT (claim_id, stream_version) DO UPDATE SET position = excluded.position, state = excluded.state`,
      [
        snapshots.map((r) => r.claimId),
        snapshots.map((r) => r.streamVersion),
        snapshots.map((r) => r.position),
        snapshots.map((r) => JSON.stringify(r.state)),
      ],
    );
  },
};

/** The current stated time in ms, as SQLite keeps it (null when it does not parse). */
function statedAtMs(statement: StatementRecord): string | null {
  const ms = Date.parse(statement.current.statedAt.at);
  return Number.isNaN(ms) ? null : String(ms);
}

/** The fragments that write these changes: one per kind of row that changed. */
export function changeFragments(
  s: string,
  changes: readonly ReadModelChanges[],
  searchKeyOf: (source: SourceRecord) => string,
): WriteFragment[] {
  const fragments: WriteFragment[] = [];
  for (const field of Object.keys(WRITERS) as (keyof ReadModelChanges)[]) {
    const rows = changes.flatMap((c) => c[field] as readonly unknown[]);
    const written = (WRITERS[field] as Writer<typeof field>)(rows as never, { s, searchKeyOf });
    if (written !== undefined) fragments.push(written);
  }
  return fragments;
}

/**
 * Every fragment in ONE statement (one round trip): data-modifying CTEs, each run exactly once
 * whatever the final SELECT reads, and `last` (a SELECT, e.g. the NOTIFY) after them. No two
 * fragments may write the same row (PostgreSQL leaves that undefined): the writers de-duplicate
 * per table, and each table has one fragment at most.
 */
export async function writeFragments(db: Runs, fragments: readonly WriteFragment[], last?: WriteFragment) {
  if (fragments.length === 0 && last === undefined) return;
  if (fragments.length === 1 && last === undefined) {
    const [only] = fragments as [WriteFragment];
    await db.query(only.text, only.values);
    return;
  }
  const values: unknown[] = [];
  const shifted = (fragment: WriteFragment) => {
    const offset = values.length;
    values.push(...fragment.values);
    return fragment.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  };
  const ctes = fragments.map((fragment, i) => `w${i} AS (${shifted(fragment)})`);
  const tail = last === undefined ? 'SELECT 1' : shifted(last);
  await db.query(ctes.length === 0 ? tail : `WITH ${ctes.join(',\n')}\n${tail}`, values);
}

/** Writes a batch's changes in one statement. */
export async function writeChanges(
  db: Runs,
  s: string,
  changes: readonly ReadModelChanges[],
  searchKeyOf: (source: SourceRecord) => string,
): Promise<void> {
  await writeFragments(db, changeFragments(s, changes, searchKeyOf));
}

function fragment(text: string, values: unknown[]): WriteFragment {
  return { text, values };
}

/** The last row for each key, in first-seen key order. */
function lastBy<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}
