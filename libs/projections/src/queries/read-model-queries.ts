import type { ClaimReadState, ClaimView, SourceRecord, StatementRecord } from '@app/claims';
import type { ClaimFilter, ClaimRow, SourceFilter } from '../sqlite/sqlite-list-queries';
import type { StatementFilter, StoredSnapshot } from '../sqlite/sqlite-statement-rows';

export type Awaitable<T> = T | Promise<T>;

/**
 * What the query handlers read, as they read it: every call awaited, so the same handlers run on
 * the synchronous SQLite read models and on an asynchronous store (PostgreSQL) that answers the
 * same method names with async queries. SqliteReadModels satisfies it as it is.
 */
export interface ReadModelQueries {
  source(sourceId: string): Awaitable<SourceRecord | undefined>;
  claim(claimId: string): Awaitable<ClaimReadState | undefined>;
  claimView(claimId: string): Awaitable<ClaimView | undefined>;
  claimViewJson(claimId: string): Awaitable<{ json: string; streamVersion: number } | undefined>;
  /** The stored view as UTF-8 bytes (the hot read: never decoded into a string and encoded again). */
  claimViewUtf8(claimId: string): Awaitable<{ utf8: Buffer; streamVersion: number } | undefined>;
  claimsWithSources(sourceIds: readonly string[]): Awaitable<string[]>;
  listClaims(filter: ClaimFilter): Awaitable<ClaimRow[]>;
  listSources(filter: SourceFilter): Awaitable<SourceRecord[]>;
  /** One statement row of a claim. */
  statement(claimId: string, statementId: string): Awaitable<StatementRecord | undefined>;
  /** A page of a claim's statements in report order. */
  statementsPage(claimId: string, filter: StatementFilter): Awaitable<StatementRecord[]>;
  /** The sources that have spoken on a claim. */
  claimSourceIds(claimId: string): Awaitable<string[]>;
  /** Every statement of one source on a claim, retracted ones included. */
  statementsOfSource(claimId: string, sourceId: string): Awaitable<StatementRecord[]>;
  /** Every statement of a claim in report order (only for `statedBefore` reads). */
  statementsOfClaim(claimId: string): Awaitable<StatementRecord[]>;
  /** A source's statements across claims. */
  statementsBySource(sourceId: string): Awaitable<{ claimId: string; statement: StatementRecord }[]>;
  /** The latest snapshot of a claim's state at or before a position. */
  snapshotAt(claimId: string, position: bigint): Awaitable<StoredSnapshot | undefined>;
}
