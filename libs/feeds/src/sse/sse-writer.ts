import type { ServerResponse } from 'node:http';
import { frameMessage, HEARTBEAT } from './sse-frame';

/** Why a feed ended; the metrics count closes by reason. */
export const FEED_CLOSE_REASONS = ['client-gone', 'slow-consumer', 'shutdown', 'error'] as const;
export type FeedCloseReason = (typeof FEED_CLOSE_REASONS)[number];

export interface SseWriterOptions {
  /** Bytes that may wait in this process for one client; past it the feed stops reading the log. */
  maxBufferedBytes: number;
  /** A client that takes no byte for this long while bytes wait for it is cut off (slow consumer). */
  stallMs: number;
  /** A heartbeat comment after this long with nothing waiting, so idle proxies keep the stream. */
  heartbeatMs: number;
  /** How long a closing feed's last message may take to leave before the socket is destroyed. */
  closeGraceMs?: number;
}

export interface SseWriterStats {
  /** The most bytes that ever waited for this client in this process (the bound being kept). */
  peakBufferedBytes: number;
  messages: number;
  bytes: number;
}

/** The headers of every event stream. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // Nothing on the way may keep or transform a live stream; nginx-style proxies must not buffer it.
  'cache-control': 'no-cache, no-store, no-transform',
  'x-accel-buffering': 'no',
};

/** Event type of the message that says why the server ended a feed (a client may listen for it). */
export const FEED_CLOSED_EVENT = 'feed-closed';

/**
 * One client's event stream on a Node response, with a bounded buffer and real back-pressure:
 * `send` says whether there is room for more, and `room()` resolves once the client has taken
 * enough that there is, so the producer reads the log no faster than the client reads the socket.
 * The bytes waiting for a client (`writableLength`: the response's and the socket's buffers) never
 * pass `maxBufferedBytes` by more than one message. A client that takes nothing for `stallMs` while
 * bytes wait is cut off: the feed ends with a `feed-closed` message (reason `slow-consumer`) that a
 * client reading again would see, and the socket is destroyed if it is not taken within the grace.
 */
export class BoundedSseWriter {
  readonly stats: SseWriterStats = { peakBufferedBytes: 0, messages: 0, bytes: 0 };
  private readonly abort = new AbortController();
  private reason: FeedCloseReason | undefined;
  private readonly closeListeners: ((reason: FeedCloseReason) => void)[] = [];
  private waiters: (() => void)[] = [];
  private flushes = 0;
  private flushesAtLastCheck = 0;
  private waitingAtLastCheck = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: SseWriterOptions,
  ) {
    response.on('close', () => this.finish('client-gone'));
    response.on('error', () => this.finish('client-gone'));
    this.heartbeat = setInterval(() => {
      if (this.response.writableLength === 0) this.write(HEARTBEAT);
    }, options.heartbeatMs);
    this.watchdog = setInterval(() => this.checkProgress(), options.stallMs);
    this.heartbeat.unref();
    this.watchdog.unref();
    // A client that left before the feed opened (during the guard, or the head read) said so already.
    if (isGone(response)) this.finish('client-gone');
  }

  /** Aborted once the feed is closed, for whatever reason: the producer stops on it. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get closedReason(): FeedCloseReason | undefined {
    return this.reason;
  }

  onClose(listener: (reason: FeedCloseReason) => void): void {
    if (this.reason !== undefined) listener(this.reason);
    else this.closeListeners.push(listener);
  }

  /** Sends the status and headers of an event stream, then `preamble` (e.g. `retry:` and an opening message). */
  begin(preamble: string): void {
    this.response.writeHead(200, SSE_HEADERS);
    // Each message leaves at once: Nagle's delay would hold small messages back.
    this.response.socket?.setNoDelay(true);
    this.write(preamble);
  }

  /** Queues a framed message; false once the buffer is full (wait for `room()`) or the feed closed. */
  send(frame: string): boolean {
    if (this.reason !== undefined) return false;
    this.write(frame);
    this.stats.messages += 1;
    return this.hasRoom();
  }

  /** Resolves when there is room in the buffer again, or the feed has closed. */
  room(): Promise<void> {
    if (this.reason !== undefined || this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Ends the feed. A client still there is told why with a last `feed-closed` message; the socket
   * is destroyed if that does not leave within the grace (a client that does not read).
   */
  close(reason: Exclude<FeedCloseReason, 'client-gone'>): void {
    if (this.reason !== undefined) return;
    this.finish(reason);
    const socket = this.response.socket;
    this.response.end(frameMessage({ event: FEED_CLOSED_EVENT, data: JSON.stringify({ reason }) }));
    if (!socket) return;
    // The connection goes with the feed: kept alive, a client's reconnection could be sent on it to a
    // server that is closing and be refused with an HTTP error, which makes an EventSource give up.
    // The socket ends once its last bytes have left, or is destroyed when the client does not take
    // them within the grace (the response's own 'close' says nothing about the socket's buffer).
    socket.destroySoon();
    const grace = setTimeout(() => socket.destroy(), this.options.closeGraceMs ?? 1_000);
    grace.unref();
    socket.once('close', () => clearTimeout(grace));
  }

  private write(frame: string): void {
    this.stats.bytes += Buffer.byteLength(frame);
    // The callback runs once the chunk has left for the kernel: the client is taking bytes.
    this.response.write(frame, () => this.flushed());
    this.stats.peakBufferedBytes = Math.max(this.stats.peakBufferedBytes, this.response.writableLength);
  }

  private hasRoom(): boolean {
    return this.response.writableLength < this.options.maxBufferedBytes;
  }

  private flushed(): void {
    this.flushes += 1;
    if (this.waiters.length > 0 && (this.reason !== undefined || this.hasRoom())) this.release();
  }

  /**
   * Every `stallMs`: bytes waited at the last look and still wait, and not one chunk left in
   * between → a slow consumer (cut after between one and two `stallMs` without progress).
   */
  private checkProgress(): void {
    const moved = this.flushes !== this.flushesAtLastCheck;
    const waiting = this.response.writableLength > 0;
    const stalled = this.waitingAtLastCheck && waiting && !moved;
    this.flushesAtLastCheck = this.flushes;
    this.waitingAtLastCheck = waiting;
    if (!stalled) return;
    // Timers run before I/O in a turn of the event loop: after a busy spell, the client's progress
    // may be waiting to be read. setImmediate runs after the I/O phase, so it sees that progress.
    const flushes = this.flushes;
    setImmediate(() => {
      if (this.flushes === flushes && this.response.writableLength > 0) this.close('slow-consumer');
    });
  }

  private finish(reason: FeedCloseReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    clearInterval(this.heartbeat);
    clearInterval(this.watchdog);
    this.abort.abort();
    this.release();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Whether the client's connection is already closed (its 'close' would not come again). */
export function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.socket === null || response.socket.destroyed;
}
