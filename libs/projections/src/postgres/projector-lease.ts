import { Client } from 'pg';
import { PROJECTED_CHANNEL, quoteIdentifier, readModelLockKey } from './postgres-read-model.schema';

/** Standbys ask for the lease this often; a dead holder's session ends and frees it. */
const RETRY_MS = 1000;

export interface ProjectorLeaseOptions {
  url: string;
  /** The schema of the log and its read models: one lease, one channel payload per schema. */
  schema: string;
  /** Ask for the lease (NEWSROOM_PROJECTOR=on); off: only follow the shared checkpoint. */
  contend: boolean;
  retryMs?: number;
  /** This process now holds the lease: project. Awaited before the lease is asked again. */
  onAcquired: () => Promise<void>;
  /** The lease's session ended (connection lost): stop projecting at once. */
  onLost: () => void;
  /** The active projector (maybe this one) committed read models up to `position`. */
  onProjected: (position: bigint) => void;
  onError: (error: Error) => void;
}

/**
 * One active projector per log across replicas: a session-level advisory lock
 * (`pg_try_advisory_lock`) held on a dedicated connection for as long as the process lives. When
 * the holder dies its session ends, PostgreSQL releases the lock, and the first standby to ask
 * again (every second) takes over. The same connection LISTENs for the projector's commits
 * (`newsroom_projected`, delivered on commit), so every replica learns of the shared checkpoint
 * at once. The holder learns of other replicas' appends from the event store itself (its
 * onAppended fires for every process's commits: NOTIFY on PostgreSQL, the $all subscription on
 * KurrentDB), so nothing here carries wake-ups. Two projectors for a moment (a holder whose lock connection died while a batch was in
 * flight) are harmless: each batch checks the checkpoint it started from (`claimCheckpoint`).
 */
export class ProjectorLease {
  private client: Client | undefined;
  private held = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;

  constructor(private readonly options: ProjectorLeaseOptions) {
    this.key = readModelLockKey('projector', options.schema);
  }

  get holds(): boolean {
    return this.held;
  }

  /** Connects, listens and asks for the lease once (awaiting onAcquired); then keeps at it. */
  async start(): Promise<void> {
    try {
      await this.connect();
      await this.tick();
    } catch (error) {
      this.options.onError(asError(error));
      this.retry();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    this.held = false;
    // Ending the session releases the lock: a standby takes over within a second.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.options.url, keepAlive: true });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', ({ channel, payload }) => this.notified(channel, payload ?? ''));
    await client.connect();
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    await client.query(`LISTEN ${quoteIdentifier(PROJECTED_CHANNEL)}`);
  }

  private async tick(): Promise<void> {
    const client = this.client;
    if (this.stopped || !client) return;
    if (this.options.contend && !this.held) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
        this.key,
      ]);
      if (rows[0]?.ok === true && this.client === client) {
        this.held = true;
        // A failed first catch-up is the daemon's to retry (its poll); the lease stays held.
        await this.options.onAcquired().catch((error: unknown) => this.options.onError(asError(error)));
      }
    }
    if (!this.held && this.options.contend) this.retry(() => this.tick());
  }

  private notified(channel: string, payload: string): void {
    if (channel !== PROJECTED_CHANNEL) return;
    const [schema, position] = payload.split(' ');
    if (schema === this.options.schema && position !== undefined && /^\d+$/.test(position))
      this.options.onProjected(BigInt(position));
  }

  /** The session is gone: so is the lease. Reconnect and ask again. */
  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.options.onLost();
    }
    if (error) this.options.onError(error);
    this.retry();
  }

  private retry(next: () => Promise<void> = () => this.connect().then(() => this.tick())): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      next().catch((error: unknown) => {
        this.options.onError(asError(error));
        if (this.client) this.lost(this.client, asError(error));
        else this.retry();
      });
    }, this.options.retryMs ?? RETRY_MS);
    this.timer.unref();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
