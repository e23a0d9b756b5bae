import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  BoundedSseWriter,
  FEED_CLOSE_REASONS,
  type FeedCloseReason,
  type FeedFilter,
  FeedSelector,
  frameRetry,
  isGone,
  pumpFeed,
  SSE_HEADERS,
} from '@app/feeds';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { ProblemError } from '../http/problem';
import { MetricsService } from '../ops/metrics.service';
import { ReadModelClaimStories } from './claim-stories';
import { eventMessage, openMessage } from './feed-messages';

/** The longest the shutdown waits for open feeds to end. */
const SHUTDOWN_BOUND_MS = 5_000;

interface OpenFeed {
  writer: BoundedSseWriter;
  /** Settles once the pump has stopped and the response is closed. */
  done: Promise<void>;
}

/** What the feeds have done since the process started (also on /metrics). */
export interface FeedStats {
  open: number;
  closed: Record<FeedCloseReason, number>;
  /** The most bytes that ever waited for one client. */
  peakClientBufferBytes: number;
  clientBufferLimitBytes: number;
}

/**
 * Every open SSE feed of this process: opens them (after the guard and the validation, which answer
 * as for the JSON routes), counts them, and ends them all — each with a `feed-closed` message — when
 * the app closes, before the HTTP server and the store do.
 */
@Injectable()
export class FeedHub implements OnModuleDestroy {
  private readonly logger = new Logger('Feeds');
  private readonly feeds = new Set<OpenFeed>();
  private closing = false;
  /** Feeds past the checks and not yet open (reading the head): they count against the limit. */
  private opening = 0;
  private readonly stats: FeedStats;
  private readonly closedTotal: Counter<'reason'>;
  private readonly messagesTotal: Counter;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stories: ReadModelClaimStories,
    metrics: MetricsService,
  ) {
    const closed = Object.fromEntries(FEED_CLOSE_REASONS.map((r) => [r, 0])) as Record<
      FeedCloseReason,
      number
    >;
    this.stats = {
      open: 0,
      closed,
      peakClientBufferBytes: 0,
      clientBufferLimitBytes: config.feeds.clientBufferBytes,
    };
    const { stats } = this;
    const peak = () => this.peakClientBufferBytes();
    const registers = [metrics.registry];
    this.closedTotal = new Counter({
      name: 'newsroom_sse_closed_total',
      help: 'SSE feeds ended, by reason (client-gone, slow-consumer, shutdown, error)',
      labelNames: ['reason'],
      registers,
    });
    this.messagesTotal = new Counter({
      name: 'newsroom_sse_messages_total',
      help: 'Messages queued to SSE clients',
      registers,
    });
    new Gauge({
      name: 'newsroom_sse_clients',
      help: 'Open SSE feeds',
      registers,
      collect() {
        this.set(stats.open);
      },
    });
    new Gauge({
      name: 'newsroom_sse_client_buffer_peak_bytes',
      help: 'The most bytes that ever waited for one SSE client in this process (bounded by the limit plus one message)',
      registers,
      collect() {
        this.set(peak());
      },
    });
    new Gauge({
      name: 'newsroom_sse_client_buffer_limit_bytes',
      help: 'SSE_CLIENT_BUFFER_BYTES: bytes that may wait for one client before its feed stops reading the log',
      registers,
      collect() {
        this.set(stats.clientBufferLimitBytes);
      },
    });
  }

  snapshot(): FeedStats {
    return {
      ...this.stats,
      closed: { ...this.stats.closed },
      peakClientBufferBytes: this.peakClientBufferBytes(),
    };
  }

  private peakClientBufferBytes(): number {
    let peak = this.stats.peakClientBufferBytes;
    for (const feed of this.feeds) peak = Math.max(peak, feed.writer.stats.peakBufferedBytes);
    return peak;
  }

  /** Takes the response over and streams the log from `after` (the head when undefined). */
  async open(reply: FastifyReply, filter: FeedFilter, after: bigint | undefined): Promise<void> {
    if (reply.request.method === 'HEAD') {
      // Fastify answers HEAD on every GET route: the headers of a feed, and no feed behind them.
      reply.hijack();
      reply.raw.writeHead(200, SSE_HEADERS).end();
      return;
    }
    if (this.closing) return drop(reply);
    if (this.feeds.size + this.opening >= this.config.feeds.maxClients)
      throw new ProblemError(
        503,
        'FEEDS_BUSY',
        'Too many open feeds',
        `this process serves at most ${this.config.feeds.maxClients} feeds; retry later`,
      );
    const settings = this.config.feeds;
    this.opening += 1;
    let start: bigint;
    try {
      start = after ?? (await this.store.headPosition());
    } finally {
      this.opening -= 1;
    }
    // The shutdown may have begun meanwhile: it closes only the feeds it found open.
    if (this.closing) return drop(reply);
    // From here on the response is ours: Fastify neither sends nor serialises it.
    reply.hijack();
    const writer = new BoundedSseWriter(reply.raw, {
      maxBufferedBytes: settings.clientBufferBytes,
      stallMs: settings.stallMs,
      heartbeatMs: settings.heartbeatMs,
    });
    // The socket's own idle timeout would cut a quiet feed: heartbeats and the stall watchdog govern it now.
    reply.raw.socket?.setTimeout(0);
    writer.begin(frameRetry(settings.retryMs) + openMessage(start));
    const closed = isGone(reply.raw)
      ? Promise.resolve()
      : new Promise<void>((resolve) => reply.raw.once('close', () => resolve()));
    const pump = pumpFeed({
      store: this.store,
      after: start,
      selector: new FeedSelector(filter, this.stories),
      writer,
      toMessage: (event) => {
        this.messagesTotal.inc();
        return eventMessage(event);
      },
    }).catch((error: unknown) => {
      if (writer.closedReason === undefined) this.logger.error(`feed stopped: ${describe(error)}`);
      writer.close('error');
    });
    const feed: OpenFeed = { writer, done: Promise.all([pump, closed]).then(() => undefined) };
    this.feeds.add(feed);
    this.stats.open = this.feeds.size;
    writer.onClose((reason) => this.closed(feed, reason, filter));
  }

  private closed(feed: OpenFeed, reason: FeedCloseReason, filter: FeedFilter): void {
    this.closedTotal.inc({ reason });
    this.stats.closed[reason] += 1;
    this.stats.peakClientBufferBytes = Math.max(
      this.stats.peakClientBufferBytes,
      feed.writer.stats.peakBufferedBytes,
    );
    const detail = { reason, filter, ...feed.writer.stats };
    if (reason === 'slow-consumer')
      this.logger.warn(`SSE client cut off: it stopped reading ${JSON.stringify(detail)}`);
    else this.logger.debug?.(`SSE feed closed ${JSON.stringify(detail)}`);
    void feed.done.then(() => {
      this.feeds.delete(feed);
      this.stats.open = this.feeds.size;
    });
  }

  /** Before the HTTP server closes (it would wait for open feeds) and before the store closes. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    const feeds = [...this.feeds];
    for (const feed of feeds) feed.writer.close('shutdown');
    // Each socket is ended, or destroyed after the writer's grace; the bound only keeps a feed stuck
    // in a store call from holding up the shutdown.
    let bound: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (bound = setTimeout(resolve, SHUTDOWN_BOUND_MS)));
    await Promise.race([Promise.all(feeds.map((feed) => feed.done)), limit]);
    clearTimeout(bound);
  }
}

/**
 * A feed request during shutdown is dropped as if the server were already gone: an EventSource
 * retries after a network error, while an HTTP error (a 503) would make it give up for good.
 */
function drop(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.socket?.destroy();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
