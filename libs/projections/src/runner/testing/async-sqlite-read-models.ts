import type { Database } from '@app/event-store';
import type { ReadModelChanges } from '../../newsroom.projection';
import {
  type AsyncReadModelBatch,
  type AsyncReadModelStore,
  CheckpointMovedError,
} from '../../port/read-model-store.port';
import { SqliteReadModels } from '../../sqlite/sqlite-read-models';

/**
 * Tests only: SQLite read models seen through the asynchronous port, so the runner's working-set
 * path is exercised without PostgreSQL, and compared byte for byte with the synchronous path.
 * Every reader method answers after a turn of the event loop, as a network database would.
 */
export function asyncSqliteReadModels(db: Database): AsyncReadModelStore & { sync: SqliteReadModels } {
  const sync = new SqliteReadModels(db);
  const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  const batch: AsyncReadModelBatch = {
    source: (id) => later(sync.source(id)),
    claim: (id) => later(sync.claim(id)),
    claimsWithSources: (ids) => later(sync.claimsWithSources(ids)),
    sourcesAffiliatedWith: (id) => later(sync.sourcesAffiliatedWith(id)),
    statement: (claimId, statementId) => later(sync.statement(claimId, statementId)),
    liveStatementsOf: (claimId, sourceId) => later(sync.liveStatementsOf(claimId, sourceId)),
    claimCheckpoint: (projection, expected) =>
      later(undefined).then(() => {
        const actual = sync.checkpoint(projection);
        if (actual !== expected) throw new CheckpointMovedError(expected, actual);
      }),
    apply: (changes: readonly ReadModelChanges[]) => later(changes.forEach((c) => sync.apply(c))),
    saveCheckpoint: (projection, position) => later(sync.saveCheckpoint(projection, position)),
    recordLog: (identity) => later(sync.recordLog(identity)),
  };
  return {
    synchronous: false,
    sync,
    source: (id) => later(sync.source(id)),
    claim: (id) => later(sync.claim(id)),
    claimView: (id) => later(sync.claimView(id)),
    claimViewJson: (id) => later(sync.claimViewJson(id)),
    claimViewUtf8: (id) => later(sync.claimViewUtf8(id)),
    claimsWithSources: (ids) => later(sync.claimsWithSources(ids)),
    statement: (claimId, statementId) => later(sync.statement(claimId, statementId)),
    statementsPage: (claimId, filter) => later(sync.statementsPage(claimId, filter)),
    claimSourceIds: (claimId) => later(sync.claimSourceIds(claimId)),
    statementsOfSource: (claimId, sourceId) => later(sync.statementsOfSource(claimId, sourceId)),
    statementsOfClaim: (claimId) => later(sync.statementsOfClaim(claimId)),
    statementsBySource: (sourceId) => later(sync.statementsBySource(sourceId)),
    snapshotAt: (claimId, position) => later(sync.snapshotAt(claimId, position)),
    listSources: (filter) => later(sync.listSources(filter)),
    listClaims: (filter) => later(sync.listClaims(filter)),
    checkpoint: (projection) => later(sync.checkpoint(projection)),
    builtBy: () => later(sync.builtBy()),
    markBuiltBy: (version) => later(sync.markBuiltBy(version)),
    builtFrom: () => later(sync.builtFrom()),
    reset: () => later(sync.reset()),
    async batch<T>(work: (b: AsyncReadModelBatch) => Promise<T>): Promise<T> {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(batch);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
