import {
  type ClaimEvent,
  isLive,
  type StatementAccess,
  statementAt,
  type StatementBasis,
  type StatementRecord,
} from '@app/claims';

/** The statement rows a historical fold reads (a read-model store; sync or async). */
export interface StatementRows {
  statement(
    claimId: string,
    statementId: string,
  ): StatementRecord | undefined | Promise<StatementRecord | undefined>;
  statementsOfSource(claimId: string, sourceId: string): StatementRecord[] | Promise<StatementRecord[]>;
}

/**
 * The statements a historical fold needs, as they stood at the fold's point: those reported after
 * the snapshot come from the events themselves; those reported before it are read from the
 * statement rows (which carry their whole history) and taken back to the snapshot's position.
 *
 * The fold is synchronous (the same evolve as the projection), so each event's needs are loaded
 * before it is applied: the statement it corrects or retracts and, when the source's position may
 * fall back (a retraction, a changed stated time), that source's other statements — never the
 * whole claim. Without a snapshot every statement comes from the events: nothing is read.
 */
export class HistoricalStatements implements StatementAccess {
  private readonly known = new Map<string, StatementRecord>();
  private readonly loadedSources = new Set<string>();

  constructor(
    private readonly readModels: StatementRows,
    private readonly claimId: string,
    /** The snapshot's position; undefined when the fold starts at the claim's first event. */
    private readonly snapshotPosition: string | undefined,
  ) {}

  async prepare(event: ClaimEvent): Promise<void> {
    if (this.snapshotPosition === undefined) return;
    // A relay's position says where it leads: the statements it relays, down the chain.
    if (event.type === 'StatementReported') return this.loadChain(event.data.basis);
    if (event.type !== 'StatementCorrected' && event.type !== 'StatementRetracted') return;
    const statementId = event.data.statementId;
    if (!this.known.has(statementId)) {
      const row = await this.readModels.statement(this.claimId, statementId);
      this.keep(row);
    }
    const statement = this.known.get(statementId);
    await this.loadChain(statement?.basis);
    const mayFallBack =
      event.type === 'StatementRetracted' ||
      event.data.changes.statedAt !== undefined ||
      event.data.changes.asOf !== undefined;
    if (statement === undefined || !mayFallBack || this.loadedSources.has(statement.sourceId)) return;
    for (const row of await this.readModels.statementsOfSource(this.claimId, statement.sourceId))
      if (!this.known.has(row.statementId)) this.keep(row);
    this.loadedSources.add(statement.sourceId);
    // Any of them may become the position again, and a relay among them needs its chain.
    for (const row of this.liveStatementsOf(statement.sourceId)) await this.loadChain(row.basis);
  }

  /** The statements a basis leads through, known or read from the rows, each once. */
  private async loadChain(basis: StatementBasis | undefined): Promise<void> {
    const seen = new Set<string>();
    while (basis !== undefined && 'statementId' in basis && !seen.has(basis.statementId)) {
      seen.add(basis.statementId);
      if (!this.known.has(basis.statementId)) {
        this.keep(await this.readModels.statement(this.claimId, basis.statementId));
      }
      basis = this.known.get(basis.statementId)?.basis;
    }
  }

  /** The statement an event reported, corrected or retracted, as it stands after it. */
  remember(statement: StatementRecord): void {
    this.known.set(statement.statementId, statement);
  }

  statement(statementId: string): StatementRecord | undefined {
    return this.known.get(statementId);
  }

  liveStatementsOf(sourceId: string): readonly StatementRecord[] {
    return [...this.known.values()].filter((s) => s.sourceId === sourceId && isLive(s));
  }

  private keep(row: StatementRecord | undefined): void {
    const then = row && statementAt(row, this.snapshotPosition!);
    if (then) this.known.set(then.statementId, then);
  }
}
