import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';

/** Polls for events another process appended to the same store (a CLI import, a second replica). */
const POLL_MS = 2000;

/**
 * Keeps the read models caught up: once at start, after every append in this process, and on a
 * slow poll for appends from elsewhere. A failure is logged and retried on the next signal.
 */
@Injectable()
export class ProjectionDaemon implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projection');
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.runner.ensureCurrent())
      this.logger.warn('read models were built by older projection code: rebuilt from the log');
    const position = await this.runner.catchUp();
    this.logger.log(`read models at position ${position}`);
    this.unsubscribe = this.store.onAppended(() => this.kick());
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  private kick(): void {
    this.runner.catchUp().catch((error: unknown) => {
      this.logger.error(`projection failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
