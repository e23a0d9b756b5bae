import type { ClaimEvent, SourceEvent } from '@app/claims';
import type { EventStore, StoredEvent } from '@app/event-store';
import { projectEvent } from '../newsroom.projection';
import { NEWSROOM_CHECKPOINT, PROJECTION_VERSION } from '../sqlite/read-model.schema';
import type { SqliteReadModels } from '../sqlite/sqlite-read-models';

export const NEWSROOM_PROJECTION = NEWSROOM_CHECKPOINT;
const DEFAULT_BATCH = 500;

export type Decode = (stored: StoredEvent) => { type: string; data: unknown };

export interface ProjectionProgress {
  position: bigint;
  head: bigint;
}

/**
 * Runs the newsroom projection from its checkpoint to the head of the log. Each batch, and the
 * checkpoint that records it, commit in one transaction. Runs are serialised: a call made while
 * one is under way waits for it and then runs again, so nothing appended meanwhile is left behind.
 */
export class ProjectionRunner {
  private running: Promise<bigint> | undefined;
  private rerun = false;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: SqliteReadModels,
    private readonly decode: Decode,
    private readonly options: { batchSize?: number } = {},
  ) {}

  get position(): bigint {
    return this.readModels.checkpoint(NEWSROOM_PROJECTION);
  }

  /**
   * Projects everything committed so far, or only up to position `to` (inclusive) for a historical
   * replay into read models of their own; resolves with the checkpoint reached.
   */
  catchUp(to?: bigint): Promise<bigint> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.loop(undefined, to).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * At start: read models built by other projection code are stale, whatever their checkpoint says;
   * rebuild them from the log. (Opening them already drops tables another version wrote; this
   * covers a version change under a running store.) Resolves true if it rebuilt.
   */
  async ensureCurrent(onProgress?: (progress: ProjectionProgress) => void): Promise<boolean> {
    if (this.readModels.builtBy() === PROJECTION_VERSION) return false;
    await this.rebuild(onProgress);
    return true;
  }

  /** Read-your-writes: resolves once the read models include `position`. */
  async waitFor(position: bigint): Promise<void> {
    while (this.position < position) {
      const before = this.position;
      await this.catchUp();
      if (this.position === before && this.position < position) {
        throw new Error(`projection is stuck at ${before}, below ${position}`);
      }
    }
  }

  /** Drops the read models and replays the log into them: all of it, or up to position `to`. */
  async rebuild(onProgress?: (progress: ProjectionProgress) => void, to?: bigint): Promise<bigint> {
    // Wait for any run under way, then hold the runner: a catch-up must not interleave a rebuild.
    while (this.running) await this.running.catch(() => undefined);
    const rebuilding = (async () => {
      this.readModels.reset();
      this.readModels.markBuiltBy(PROJECTION_VERSION);
      return this.loop(onProgress, to);
    })();
    this.running = rebuilding.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(onProgress?: (progress: ProjectionProgress) => void, to?: bigint): Promise<bigint> {
    let checkpoint = this.position;
    do {
      this.rerun = false;
      for (;;) {
        const events = await this.store.readAll({
          after: checkpoint,
          to,
          limit: this.options.batchSize ?? DEFAULT_BATCH,
        });
        if (events.length === 0) break;
        checkpoint = this.applyBatch(events);
        if (onProgress) {
          const head = await this.store.headPosition();
          onProgress({ position: checkpoint, head: to !== undefined && to < head ? to : head });
        }
      }
    } while (this.rerun);
    return checkpoint;
  }

  private applyBatch(events: StoredEvent[]): bigint {
    return this.readModels.transaction(() => {
      let last = 0n;
      for (const stored of events) {
        const event = this.decode(stored) as ClaimEvent | SourceEvent;
        const changes = projectEvent(this.readModels, {
          event,
          position: stored.position,
          recordedAt: stored.metadata.recordedAt,
          streamVersion: stored.streamVersion,
        });
        this.readModels.apply(changes);
        last = stored.position;
      }
      this.readModels.saveCheckpoint(NEWSROOM_PROJECTION, last);
      return last;
    });
  }
}
