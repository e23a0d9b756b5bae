import type { Database } from 'better-sqlite3';
import {
  type ClaimStatus,
  type ClaimView,
  normalizeText,
  type SourceKind,
  type SourceRecord,
} from '@app/claims';
import { parse } from '../port/json-column';

/** The list queries of the read models on SQLite (PostgreSQL's: postgres/postgres-list-queries.ts). */

export interface ClaimFilter {
  storyId?: string;
  status?: ClaimStatus;
  sourceId?: string;
  /** Exclusive: claims opened after this position. */
  afterOpened?: bigint;
  limit: number;
}

export interface SourceFilter {
  q?: string;
  kind?: SourceKind;
  /** Exclusive: sources whose id sorts after this one. */
  afterId?: string;
  limit: number;
}

/** What a name search matches: name and Latin name, normalized as claim texts are. */
export const searchKeyOf = (source: SourceRecord): string =>
  normalizeText([source.name, source.nameLatin ?? ''].join(' '));

export interface ClaimRow {
  view: ClaimView;
  openedPosition: bigint;
}

/** Sources in id order; `q` matches names as normalized text (case, Arabic diacritics, alef forms). */
export function listSources(db: Database, filter: SourceFilter): SourceRecord[] {
  const where: string[] = ['source_id > @after'];
  if (filter.q !== undefined) where.push(`search_key LIKE @q ESCAPE '\\'`);
  if (filter.kind !== undefined) where.push('kind = @kind');
  const sql = `SELECT record FROM rm_sources WHERE ${where.join(' AND ')} ORDER BY source_id LIMIT @limit`;
  const q =
    filter.q === undefined ? undefined : `%${normalizeText(filter.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = db
    .prepare(sql)
    .all({ after: filter.afterId ?? '', q, kind: filter.kind, limit: filter.limit }) as {
    record: string;
  }[];
  return rows.map((r) => parse<SourceRecord>(r.record));
}

export function listClaims(db: Database, filter: ClaimFilter): ClaimRow[] {
  const where: string[] = ['c.opened_position > @after'];
  if (filter.storyId !== undefined) where.push('c.story_id = @storyId');
  if (filter.status !== undefined) where.push('c.status = @status');
  if (filter.sourceId !== undefined)
    where.push('c.claim_id IN (SELECT claim_id FROM rm_claim_sources WHERE source_id = @sourceId)');
  const sql = `SELECT c.view, c.opened_position FROM rm_claims c WHERE ${where.join(' AND ')} ORDER BY c.opened_position LIMIT @limit`;
  const rows = db
    .prepare(sql)
    .safeIntegers(true)
    .all({
      after: filter.afterOpened ?? 0n,
      storyId: filter.storyId,
      status: filter.status,
      sourceId: filter.sourceId,
      limit: filter.limit,
    }) as { view: string; opened_position: bigint }[];
  return rows.map((r) => ({ view: parse<ClaimView>(r.view), openedPosition: r.opened_position }));
}
