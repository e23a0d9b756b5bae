import type { LogIdentity } from '@app/event-store';
import { foldEvent, type ProjectableEvent, projectEvent } from '../newsroom.projection';
import type { AsyncReadModelStore, SyncReadModelStore } from '../port/read-model-store.port';
import { NEWSROOM_CHECKPOINT } from '../sqlite/read-model.schema';
import { SyncWorkingSet } from './sync-working-set';
import { WorkingSet } from './working-set';

/**
 * One batch on a synchronous store (SQLite): folds the batch in memory over the store (read
 * inside the transaction) and writes each changed row once, with the checkpoint and the log, in
 * that one transaction. Answers the checkpoint reached.
 */
export function applySyncBatch(
  readModels: SyncReadModelStore,
  events: readonly ProjectableEvent[],
  log: LogIdentity,
): bigint {
  return readModels.transaction(() => {
    const workingSet = new SyncWorkingSet(readModels);
    let last = 0n;
    for (const projectable of events) {
      workingSet.record(foldEvent(workingSet, projectable));
      last = projectable.position;
    }
    readModels.apply(workingSet.changes());
    readModels.saveCheckpoint(NEWSROOM_CHECKPOINT, last);
    readModels.recordLog(log);
    return last;
  });
}

/**
 * One batch on an asynchronous store (PostgreSQL): claims the checkpoint at `from` (another
 * projector that moved it fails the batch), loads what the batch will look up, projects against
 * the in-memory working set; the batch, checkpoint and log commit together.
 */
export function applyAsyncBatch(
  readModels: AsyncReadModelStore,
  events: readonly ProjectableEvent[],
  log: LogIdentity,
  from: bigint,
): Promise<bigint> {
  return readModels.batch(async (batch) => {
    await batch.claimCheckpoint(NEWSROOM_CHECKPOINT, from);
    const workingSet = new WorkingSet(batch);
    await workingSet.prefetch(events.map((p) => (reader) => projectEvent(reader, p)));
    let last = 0n;
    for (const projectable of events) {
      workingSet.record(await workingSet.project((reader) => projectEvent(reader, projectable)));
      last = projectable.position;
    }
    await workingSet.flush();
    await batch.saveCheckpoint(NEWSROOM_CHECKPOINT, last);
    await batch.recordLog(log);
    return last;
  });
}
