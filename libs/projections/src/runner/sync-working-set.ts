import type { ClaimReadState, SourceRecord, StatementRecord } from '@app/claims';
import {
  type ClaimSnapshot,
  type FoldedChanges,
  type ReadModelChanges,
  type ReadModelReader,
  renderViews,
} from '../newsroom.projection';

/**
 * What a row read back from the database would be: JSON drops `undefined` keys, as a store does.
 * The value itself when it has none (the usual case): nothing reads it to change it (the
 * projection folds a copy), so a JSON round trip per read would only cost.
 */
const asStored = <T>(value: T): T => (hasUndefined(value) ? (JSON.parse(JSON.stringify(value)) as T) : value);

function hasUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasUndefined(item)) return true;
    return false;
  }
  for (const key in value) if (hasUndefined((value as Record<string, unknown>)[key])) return true;
  return false;
}

const SEP = '\u0000';

/** Decimal positions compared as numbers (no leading zeros, never negative). */
const byReportedPosition = (a: StatementRecord, b: StatementRecord): number =>
  a.reportedPosition.length - b.reportedPosition.length ||
  (a.reportedPosition < b.reportedPosition ? -1 : a.reportedPosition > b.reportedPosition ? 1 : 0);

/**
 * A row changed in this batch: its last value, and the part the projection reads back (`readable`)
 * as a store would return it, made when first asked for.
 */
class Changed<T, R = T> {
  private stored: R | undefined;
  constructor(
    readonly value: T,
    private readonly readable: (value: T) => R,
  ) {}
  read(): R {
    this.stored ??= asStored(this.readable(this.value));
    return this.stored;
  }
}

const whole = <T>(value: T): T => value;

/**
 * The projection's view of SQLite read models during one large batch (a rebuild, a long
 * catch-up): the batch's changes so far, kept in memory over the store as it stood when the batch
 * began. Lookups the batch has not touched read the store synchronously (inside the batch's
 * transaction), once each; every change is kept as the last value per row key and written once,
 * by `changes()`, when the batch ends. A changed row is read back as a store would return it
 * (through JSON), so a fold sees exactly what event-by-event projection would have read.
 */
export class SyncWorkingSet implements ReadModelReader {
  private readonly sources = new Map<string, Changed<SourceRecord>>();
  private readonly claims = new Map<string, Changed<ClaimReadState>>();
  private readonly claimSources = new Map<string, { claimId: string; sourceId: string }>();
  private readonly statements = new Map<string, { claimId: string; statement: Changed<StatementRecord> }>();
  /** Statement keys changed in this batch, by claim and source (for `liveStatementsOf`). */
  private readonly statementsBySource = new Map<string, Set<string>>();
  private readonly snapshots = new Map<string, ClaimSnapshot>();
  /** The store's answers (as of the batch's start) to lookups of rows this batch has not changed. */
  private readonly loadedSources = new Map<string, SourceRecord | undefined>();
  private readonly loadedClaims = new Map<string, ClaimReadState | undefined>();
  private readonly loadedStatements = new Map<string, StatementRecord | undefined>();

  constructor(private readonly store: ReadModelReader) {}

  source(sourceId: string): SourceRecord | undefined {
    const changed = this.sources.get(sourceId);
    if (changed !== undefined) return changed.read();
    if (this.loadedSources.has(sourceId)) return this.loadedSources.get(sourceId);
    const loaded = this.store.source(sourceId);
    this.loadedSources.set(sourceId, loaded);
    return loaded;
  }

  claim(claimId: string): ClaimReadState | undefined {
    const changed = this.claims.get(claimId);
    if (changed !== undefined) return changed.read();
    if (this.loadedClaims.has(claimId)) return this.loadedClaims.get(claimId);
    const loaded = this.store.claim(claimId);
    this.loadedClaims.set(claimId, loaded);
    return loaded;
  }

  statement(claimId: string, statementId: string): StatementRecord | undefined {
    const key = claimId + SEP + statementId;
    const changed = this.statements.get(key);
    if (changed !== undefined) return changed.statement.read();
    if (this.loadedStatements.has(key)) return this.loadedStatements.get(key);
    if (this.newInBatch(claimId)) return undefined;
    const loaded = this.store.statement(claimId, statementId);
    this.loadedStatements.set(key, loaded);
    return loaded;
  }

  claimsWithSources(sourceIds: readonly string[]): string[] {
    const ids = new Set(this.store.claimsWithSources(sourceIds));
    const wanted = new Set(sourceIds);
    for (const { claimId, sourceId } of this.claimSources.values())
      if (wanted.has(sourceId)) ids.add(claimId);
    return [...ids].sort();
  }

  sourcesAffiliatedWith(sourceId: string): string[] {
    // A source changed in this batch answers with its latest affiliation, not the store's.
    const ids = this.store.sourcesAffiliatedWith(sourceId).filter((id) => !this.sources.has(id));
    for (const changed of this.sources.values())
      if (changed.value.affiliationId === sourceId) ids.push(changed.value.sourceId);
    return ids.sort();
  }

  liveStatementsOf(claimId: string, sourceId: string): StatementRecord[] {
    const changedKeys = this.statementsBySource.get(claimId + SEP + sourceId);
    const stored = this.newInBatch(claimId) ? [] : this.store.liveStatementsOf(claimId, sourceId);
    if (changedKeys === undefined) return stored;
    const live = stored.filter((s) => !changedKeys.has(claimId + SEP + s.statementId));
    for (const key of changedKeys) {
      const statement = this.statements.get(key)!.statement.read();
      if (statement.retraction === undefined) live.push(statement);
    }
    return live.sort(byReportedPosition);
  }

  /**
   * The store held no row of this claim when the batch began, so none of its statements either
   * (every statement row is written with its claim's row): no need to ask it for them.
   */
  private newInBatch(claimId: string): boolean {
    return this.loadedClaims.has(claimId) && this.loadedClaims.get(claimId) === undefined;
  }

  /** Applies one event's changes (claims without their views: see `changes`): each replaces the row of its key. */
  record(changes: FoldedChanges): void {
    for (const source of changes.sources) this.sources.set(source.sourceId, new Changed(source, whole));
    for (const claim of changes.claims) this.claims.set(claim.claimId, new Changed(claim, whole));
    for (const row of changes.claimSources) this.claimSources.set(row.sourceId + SEP + row.claimId, row);
    for (const { claimId, statement } of changes.statements) {
      const key = claimId + SEP + statement.statementId;
      this.statements.set(key, { claimId, statement: new Changed(statement, whole) });
      const bySource = claimId + SEP + statement.sourceId;
      let keys = this.statementsBySource.get(bySource);
      if (keys === undefined) this.statementsBySource.set(bySource, (keys = new Set()));
      keys.add(key);
    }
    for (const snapshot of changes.snapshots)
      this.snapshots.set(snapshot.claimId + SEP + snapshot.streamVersion, snapshot);
  }

  /**
   * The batch's changes coalesced: one row per key, its last value; written as one change. Each
   * changed claim's view is rendered here, once, with the sources as they stand at the batch's end
   * (what its last event-by-event write would hold: see `foldEvent`). Rows of the keyed
   * (WITHOUT ROWID) tables go in key order, so their B-trees are written in one sweep; sources and
   * claims (rowid tables) keep the order they were first changed in, as event by event.
   */
  changes(): ReadModelChanges {
    const folded: FoldedChanges = {
      sources: [...this.sources.values()].map((c) => c.value),
      claims: [...this.claims.values()].map((c) => c.value),
      claimSources: inKeyOrder(this.claimSources),
      statements: inKeyOrder(this.statements).map(({ claimId, statement }) => ({
        claimId,
        statement: statement.value,
      })),
      snapshots: inKeyOrder(this.snapshots),
    };
    return renderViews(folded, (sourceId) => this.source(sourceId));
  }
}

/** Rows by their key (which orders as the table's primary key does, closely enough for locality). */
function inKeyOrder<T>(rows: Map<string, T>): T[] {
  return [...rows.keys()].sort().map((key) => rows.get(key)!);
}
