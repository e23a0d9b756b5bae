import type { QueryResultRow } from 'pg';
import { type ClaimView, normalizeText, type SourceRecord } from '@app/claims';
import { parse } from '../port/json-column';
import type { ClaimFilter, ClaimRow, SourceFilter } from '../sqlite/sqlite-list-queries';

/** The list queries of the read models on PostgreSQL: the SQLite store's, with numbered parameters. */

interface Runs {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** Sources in id order; `q` matches names as normalized text (see the SQLite store). */
export async function listSources(db: Runs, s: string, filter: SourceFilter): Promise<SourceRecord[]> {
  const values: unknown[] = [filter.afterId ?? '', filter.limit];
  const where = ['source_id > $1'];
  if (filter.q !== undefined) {
    values.push(`%${normalizeText(filter.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`search_key LIKE $${values.length} ESCAPE '\\'`);
  }
  if (filter.kind !== undefined) {
    values.push(filter.kind);
    where.push(`kind = $${values.length}`);
  }
  const { rows } = await db.query<{ record: string }>(
    `SELECT record FROM ${s}.rm_sources WHERE ${where.join(' AND ')} ORDER BY source_id LIMIT $2`,
    values,
  );
  return rows.map((r) => parse<SourceRecord>(r.record));
}

export async function listClaims(db: Runs, s: string, filter: ClaimFilter): Promise<ClaimRow[]> {
  const values: unknown[] = [(filter.afterOpened ?? 0n).toString(), filter.limit];
  const where = ['c.opened_position > $1::bigint'];
  const add = (value: unknown, condition: (p: string) => string) => {
    values.push(value);
    where.push(condition(`$${values.length}`));
  };
  if (filter.storyId !== undefined) add(filter.storyId, (p) => `c.story_id = ${p}`);
  if (filter.status !== undefined) add(filter.status, (p) => `c.status = ${p}`);
  if (filter.sourceId !== undefined)
    add(
      filter.sourceId,
      (p) => `c.claim_id IN (SELECT claim_id FROM ${s}.rm_claim_sources WHERE source_id = ${p})`,
    );
  const { rows } = await db.query<{ view: string; opened_position: string }>(
    `SELECT c.view, c.opened_position::text AS opened_position FROM ${s}.rm_claims c
     WHERE ${where.join(' AND ')} ORDER BY c.opened_position LIMIT $2`,
    values,
  );
  return rows.map((r) => ({ view: parse<ClaimView>(r.view), openedPosition: BigInt(r.opened_position) }));
}
