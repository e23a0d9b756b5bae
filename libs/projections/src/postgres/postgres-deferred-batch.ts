import type { LogIdentity } from '@app/event-store';
import type { ReadModelChanges } from '../newsroom.projection';
import type { AsyncReadModelBatch } from '../port/read-model-store.port';
import type { WriteFragment } from './postgres-read-model.writer';

/** What a projection batch's transaction needs of the read models to defer its writes. */
export interface DeferrableReadModels extends AsyncReadModelBatch {
  changeFragments(changes: readonly ReadModelChanges[]): WriteFragment[];
  checkpointFragment(projection: string, position: bigint): WriteFragment;
  logFragment(identity: LogIdentity): WriteFragment;
  /** The NOTIFY of a saved checkpoint (a SELECT: the tail of the combined statement). */
  projectedNotice(position: bigint): WriteFragment;
  writeFragments(fragments: readonly WriteFragment[], last?: WriteFragment): Promise<void>;
}

/** Reads whose rows are keyed by their first argument: flushed only if that key has writes queued. */
const BY_CLAIM = new Set(['claim', 'claimView', 'claimViewJson', 'claimViewUtf8']);
const BY_CLAIM_STATEMENTS = new Set([
  'statement',
  'liveStatementsOf',
  'statementsOfSource',
  'statementsOfClaim',
]);

/**
 * A projection batch on PostgreSQL whose writes wait (docs/decisions/0024). The runner's working
 * set writes its queued changes before every lookup it misses, so that the lookup sees them: one
 * round trip per kind of row, per event, when a batch spreads over many claims. Here `apply`,
 * `saveCheckpoint` and `recordLog` only queue; a read is preceded by the queued writes only when
 * they could change its answer (the claim it reads has queued rows, or a list's table has), and
 * at the end everything queued goes in ONE statement (data-modifying CTEs, the NOTIFY last),
 * still inside the batch's transaction. Reads the rules below do not know flush first.
 */
export class DeferredBatch {
  private changes: ReadModelChanges[] = [];
  private readonly claims = new Set<string>();
  private readonly statementClaims = new Set<string>();
  private readonly sources = new Set<string>();
  private claimSources = false;
  private checkpoint: { projection: string; position: bigint } | undefined;
  private log: LogIdentity | undefined;
  readonly batch: AsyncReadModelBatch;

  constructor(private readonly inner: DeferrableReadModels) {
    this.batch = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === 'apply') return (changes: readonly ReadModelChanges[]) => this.queue(changes);
        if (property === 'saveCheckpoint') {
          return (projection: string, position: bigint) => {
            this.checkpoint = { projection, position };
            return Promise.resolve();
          };
        }
        if (property === 'recordLog') {
          return (identity: LogIdentity) => {
            this.log = identity;
            return Promise.resolve();
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return async (...args: unknown[]) => {
          if (this.affects(property, args)) await this.flush();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** Writes everything queued, in one statement. */
  async flush(): Promise<void> {
    const fragments = this.inner.changeFragments(this.changes);
    if (this.checkpoint !== undefined) {
      fragments.push(this.inner.checkpointFragment(this.checkpoint.projection, this.checkpoint.position));
    }
    if (this.log !== undefined) fragments.push(this.inner.logFragment(this.log));
    const notice =
      this.checkpoint === undefined ? undefined : this.inner.projectedNotice(this.checkpoint.position);
    this.changes = [];
    this.claims.clear();
    this.statementClaims.clear();
    this.sources.clear();
    this.claimSources = false;
    this.checkpoint = undefined;
    this.log = undefined;
    await this.inner.writeFragments(fragments, notice);
  }

  private queue(changes: readonly ReadModelChanges[]): Promise<void> {
    for (const change of changes) {
      this.changes.push(change);
      for (const { record } of change.claims) this.claims.add(record.claimId);
      for (const { claimId } of change.statements) this.statementClaims.add(claimId);
      for (const { sourceId } of change.sources) this.sources.add(sourceId);
      if (change.claimSources.length > 0) this.claimSources = true;
      // Snapshots are read by queries only: any such read flushes (the catch-all).
    }
    return Promise.resolve();
  }

  /** Whether queued writes could change what `method(args)` answers. */
  private affects(method: string, args: readonly unknown[]): boolean {
    if (!this.queued()) return false;
    if (method === 'lookupMany') {
      const [inner, argsList] = args as [string, unknown[][]];
      return !Array.isArray(argsList) || argsList.some((each) => this.affects(inner, each));
    }
    const key = args[0];
    if (BY_CLAIM.has(method)) return typeof key !== 'string' || this.claims.has(key);
    if (BY_CLAIM_STATEMENTS.has(method)) return typeof key !== 'string' || this.statementClaims.has(key);
    if (method === 'source') return typeof key !== 'string' || this.sources.has(key);
    if (method === 'sourcesAffiliatedWith') return this.sources.size > 0;
    if (method === 'claimsWithSources' || method === 'claimSourceIds') return this.claimSources;
    return true;
  }

  private queued(): boolean {
    return this.changes.length > 0 || this.checkpoint !== undefined || this.log !== undefined;
  }
}
