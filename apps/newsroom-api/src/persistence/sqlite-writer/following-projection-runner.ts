import type { ReadModelStore } from '@app/projections';
import { type Decode, ProjectionRunner, type ProjectionRunnerOptions } from '@app/projections';
import type { ThreadedSqliteEventStore } from './threaded-sqlite-event-store';

/** As ProjectionRunner's own wait: 10 s for the read models to include a write. */
const DEFAULT_WAIT_MS = 10_000;

/**
 * The main thread's runner beside a SQLite writer thread (docs/decisions/0025). It never projects
 * (the writer does, after each commit; ProjectionDaemon keeps it inactive); a write's 201 waits
 * for the writer's "projected" message rather than re-reading the checkpoint on a timer, which
 * profiled at a seventh of the main thread under wrk.
 */
export class FollowingProjectionRunner extends ProjectionRunner {
  constructor(
    private readonly writer: ThreadedSqliteEventStore,
    readModels: ReadModelStore,
    decode: Decode,
    private readonly runnerOptions: ProjectionRunnerOptions = {},
  ) {
    super(writer, readModels, decode, runnerOptions);
  }

  override async waitFor(position: bigint): Promise<void> {
    const waitMs = this.runnerOptions.waitMs ?? DEFAULT_WAIT_MS;
    if (await this.writer.waitForProjection(position, waitMs)) return;
    // No word from the writer in time: the stored checkpoint decides.
    const reached = await this.projectedPosition();
    if (reached < position) {
      throw new Error(
        `read models are at ${reached}, below ${position}, after waiting for the writer thread`,
      );
    }
  }
}
