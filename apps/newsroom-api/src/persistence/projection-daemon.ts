import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import {
  PostgresReadModels,
  PROJECTION_RUNNER,
  type ProjectionRunner,
  ProjectorLease,
  READ_MODELS,
  type ReadModelStore,
} from '@app/projections';
import { ThreadedSqliteEventStore } from './sqlite-writer/threaded-sqlite-event-store';

/**
 * The safety net under the wake-ups: appends from elsewhere (a CLI import; another replica when
 * its notification is missed) are found within this.
 */
const POLL_MS = 2000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Keeps the read models caught up: once at start, after every append in this process, and on a
 * slow poll for appends from elsewhere. A failure is logged and retried on the next signal.
 *
 * On PostgreSQL the read models are shared, and only the holder of the projector lease projects
 * (ProjectorLease: a session advisory lock; a standby takes over within seconds when the holder
 * dies). A replica that does not hold it (or runs with NEWSROOM_PROJECTOR=off) never writes read
 * models: it follows the shared checkpoint from the projector's notifications, and its writes'
 * 201s wait until the shared checkpoint includes them (ProjectionRunner.waitFor).
 */
@Injectable()
export class ProjectionDaemon implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projection');
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lease: ProjectorLease | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.store instanceof ThreadedSqliteEventStore) return this.watchWriter(this.store);
    if (this.readModels instanceof PostgresReadModels) await this.follow(this.readModels);
    else await this.project();
    // Appends wake the projector, this process's and (NOTIFY, or KurrentDB's $all subscription)
    // every other replica's: only the holder of the lease acts on them.
    this.unsubscribe = this.store.onAppended(() => {
      if (this.runner.active) this.kick();
    });
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.runner.active = false;
    await this.lease?.stop();
  }

  /**
   * SQLite with a writer thread (docs/decisions/0025): the writer projects after every commit and
   * has brought the read models up to date before the app started; this thread never writes them.
   * Its runner follows the writer's positions, so a write's 201 waits for its projection
   * (ProjectionRunner.waitFor), and the slow poll asks the writer for appends from elsewhere.
   */
  private async watchWriter(store: ThreadedSqliteEventStore): Promise<void> {
    this.runner.active = false;
    this.unsubscribe = store.onProjected((position) => this.runner.seen(position));
    this.timer = setInterval(() => store.requestCatchUp(), POLL_MS);
    this.timer.unref();
    const position = await this.runner.projectedPosition();
    this.logger.log(`read models at position ${position} (projected on the SQLite writer thread)`);
  }

  /** This process projects: bring the read models up to date now. */
  private async project(): Promise<void> {
    this.runner.active = true;
    if (await this.runner.ensureCurrent())
      this.logger.warn('read models were built by older projection code: rebuilt from the log');
    const position = await this.runner.catchUp();
    this.logger.log(`read models at position ${position}`);
  }

  private async follow(readModels: PostgresReadModels): Promise<void> {
    this.runner.active = false;
    const url = this.config.databaseUrl;
    if (url === undefined) throw new Error('EVENT_STORE=postgres needs DATABASE_URL');
    this.lease = new ProjectorLease({
      url,
      schema: readModels.schema,
      contend: this.config.projector,
      onAcquired: async () => {
        this.logger.log('holds the projector lease: projecting');
        await this.project();
      },
      onLost: () => {
        this.runner.active = false;
        this.logger.warn('lost the projector lease: no longer projecting');
      },
      onProjected: (position) => this.runner.seen(position),
      onError: (error) => this.logger.error(`projector lease: ${error.message}`),
    });
    await this.lease.start();
    if (!this.runner.active) {
      const position = await this.runner.projectedPosition();
      const why = this.config.projector ? 'another replica projects' : 'NEWSROOM_PROJECTOR=off';
      this.logger.log(`standby (${why}): shared read models at position ${position}`);
    }
  }

  /** Projects if this process holds the lease, else refreshes the shared checkpoint. */
  private kick(): void {
    const run = this.runner.active ? this.runner.catchUp() : this.runner.projectedPosition();
    run.catch((error: unknown) => this.logger.error(`projection failed: ${message(error)}`));
  }
}
