import {
  type ClaimEvent,
  type ClaimReadState,
  deepFreeze,
  type SourceEvent,
  type SourceRecord,
  type StatementRecord,
} from '@app/claims';
import {
  type ClaimSnapshot,
  type ProjectableEvent,
  type ProjectedClaim,
  projectEvent,
  type ReadModelChanges,
  type ReadModelReader,
} from '../newsroom.projection';

/**
 * Test helper (not a spec): the read model as plain maps, written as the SQLite store writes it —
 * every change as a row upsert, every row through JSON — so specs see what a store would hold.
 */
export class MapReadModel implements ReadModelReader {
  sources = new Map<string, SourceRecord>();
  claims = new Map<string, ProjectedClaim>();
  claimSources = new Set<string>();
  statements = new Map<string, { claimId: string; statement: StatementRecord }>();
  snapshots: ClaimSnapshot[] = [];
  private position = 0n;

  source = (id: string) => this.sources.get(id);
  claim = (id: string): ClaimReadState | undefined => this.claims.get(id)?.record;
  claimsWithSources = (ids: readonly string[]) =>
    [...this.claimSources].filter((k) => ids.includes(k.split('|')[0]!)).map((k) => k.split('|')[1]!);
  sourcesAffiliatedWith = (id: string) =>
    [...this.sources.values()].filter((s) => s.affiliationId === id).map((s) => s.sourceId);
  statement = (claimId: string, statementId: string) =>
    this.statements.get(`${claimId}|${statementId}`)?.statement;
  liveStatementsOf = (claimId: string, sourceId: string) =>
    this.statementsOfSource(claimId, sourceId).filter((s) => s.retraction === undefined);
  statementsOfSource = (claimId: string, sourceId: string) =>
    [...this.statements.values()]
      .filter((row) => row.claimId === claimId && row.statement.sourceId === sourceId)
      .map((row) => row.statement);

  given(...events: (ClaimEvent | SourceEvent)[]): this {
    for (const event of events) this.project(event);
    return this;
  }

  /** The last event projected, as the projection saw it. */
  last: ProjectableEvent | undefined;

  /** Projects one event at the next position and writes its changes; returns them. */
  project(event: ClaimEvent | SourceEvent, streamVersion = 1): ReadModelChanges {
    this.position += 1n;
    this.last = {
      event,
      position: this.position,
      recordedAt: `2017-10-15T09:${String((this.position / 60n) % 60n).padStart(2, '0')}:${String(this.position % 60n).padStart(2, '0')}.000Z`,
      streamVersion,
    };
    const changes = projectEvent(this, this.last);
    this.apply(changes);
    return changes;
  }

  get head(): bigint {
    return this.position;
  }

  apply(changes: ReadModelChanges): void {
    // Frozen, as a reminder that the projection never changes what a reader answers: it folds a
    // (shallow) copy, and a fold that changed a nested part in place would throw here.
    const row = <T>(value: T): T => deepFreeze(JSON.parse(JSON.stringify(value)) as T);
    for (const s of changes.sources) this.sources.set(s.sourceId, row(s));
    for (const c of changes.claims) this.claims.set(c.record.claimId, row(c));
    for (const { claimId, sourceId } of changes.claimSources) this.claimSources.add(`${sourceId}|${claimId}`);
    for (const { claimId, statement } of changes.statements)
      this.statements.set(`${claimId}|${statement.statementId}`, { claimId, statement: row(statement) });
    for (const snapshot of changes.snapshots) this.snapshots.push(row(snapshot));
  }

  view(claimId: string) {
    const claim = this.claims.get(claimId);
    if (!claim) throw new Error(`no claim ${claimId}`);
    return claim.view;
  }
}
