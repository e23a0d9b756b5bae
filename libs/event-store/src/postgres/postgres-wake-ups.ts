import { Client, type ClientConfig, type Notification } from 'pg';
import { quoteIdentifier } from './postgres-schema';

/** What the wake-ups need from the store. */
export interface WakeUpOptions {
  /** The connection settings of the store's pool (a dedicated client: LISTEN holds its session). */
  connection: ClientConfig;
  /** The log's channel, once known (it depends on the schema, which may need a query). */
  channel: () => Promise<string>;
  /** The head now: asked after every (re)connect, for the signals missed while disconnected. */
  head: () => Promise<bigint>;
  /** Called with every head heard; the store drops those it has already announced. */
  onHead: (head: bigint) => void;
  onError: (error: unknown) => void;
  /** First delay before reconnecting; doubles up to 30 s. Default 250 ms. */
  reconnectDelayMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * Cross-process wake-ups: every committed append batch NOTIFYs the log's channel with its head
 * (inside its transaction, so PostgreSQL delivers it only on COMMIT); this LISTENs on a client of
 * its own and passes each head on, so `onAppended` listeners in every process fire, not only in
 * the one that wrote. A lost connection is re-established with backoff, then the head is read once
 * and passed on: a signal missed meanwhile costs a late wake-up, never an event (consumers read
 * from their checkpoint).
 */
export class PostgresWakeUps {
  private client: Client | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: WakeUpOptions) {}

  /** Idempotent; returns at once (connecting happens in the background). */
  start(): void {
    if (this.stopped || this.running !== undefined || this.timer !== undefined || this.client !== undefined) {
      return;
    }
    this.running = this.connect().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once LISTEN is in place (or the wake-ups were stopped). For tests and startup. */
  async ready(): Promise<void> {
    this.start();
    while (!this.stopped && this.client === undefined) {
      if (this.running !== undefined) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.options.connection);
    // An idle client's error (server restart, terminated backend) must not crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      const channel = await this.options.channel();
      client.on('notification', (message) => this.heard(message, channel));
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (this.stopped) {
        await client.end();
        return;
      }
    } catch (error) {
      this.options.onError(error);
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.retry();
      return;
    }
    this.client = client;
    this.attempt = 0;
    try {
      this.options.onHead(await this.options.head());
    } catch (error) {
      if (!this.stopped) this.options.onError(error);
    }
  }

  private heard(message: Notification, channel: string): void {
    if (message.channel !== channel || message.payload === undefined) return;
    try {
      this.options.onHead(BigInt(message.payload));
    } catch (error) {
      this.options.onError(error);
    }
  }

  private lost(client: Client, error: Error | undefined): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (error !== undefined) this.options.onError(error);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped || this.timer !== undefined) return;
    const base = this.options.reconnectDelayMs ?? 250;
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, base * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, delay);
    // A pending reconnect must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }
}
