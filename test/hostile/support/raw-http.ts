import { connect, type Socket } from 'node:net';

/**
 * A client on a raw socket, for what fetch will not do: send a request a byte at a time, hold a
 * connection open, send bytes that are not HTTP. It records what the server sent and whether the
 * server closed the connection (this client never closes it unless told to).
 */
export class RawClient {
  private static readonly open = new Set<RawClient>();

  /** For afterEach: a server that failed to close a connection must not hang the suite's teardown. */
  static closeAll(): void {
    for (const client of RawClient.open) client.close();
  }

  private readonly chunks: Buffer[] = [];
  private readonly socket: Socket;
  private trickle: NodeJS.Timeout | undefined;
  private closedByUs = false;
  /** Bytes of the request written before the server closed the connection. */
  sent = 0;
  readonly connected: Promise<void>;
  /** Resolves when the connection is gone, saying who ended it. */
  readonly closed: Promise<{ byServer: boolean }>;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect({ host: hostname, port: Number(port) });
    RawClient.open.add(this);
    this.socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    // A reset or a write after the server closed: the close event says the rest.
    this.socket.on('error', () => undefined);
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => {
        RawClient.open.delete(this);
        clearInterval(this.trickle);
        resolve({ byServer: !this.closedByUs });
      }),
    );
  }

  write(data: string | Buffer): void {
    if (this.socket.destroyed) return;
    this.sent += Buffer.byteLength(data);
    this.socket.write(data);
  }

  /** Sends `data` one byte every `everyMs`, until it is all sent or the server hangs up. */
  trickleOut(data: string, everyMs: number): void {
    const bytes = Buffer.from(data);
    let next = 0;
    this.trickle = setInterval(() => {
      if (next >= bytes.length) return clearInterval(this.trickle);
      this.write(bytes.subarray(next, next + 1));
      next += 1;
    }, everyMs);
  }

  /** What the server sent so far, as text. */
  get received(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The status of the first response the server sent, if any. */
  get status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return match ? Number(match[1]) : undefined;
  }

  /** The first response's header value (lower-case name), if any. */
  header(name: string): string | undefined {
    const head = this.received.split('\r\n\r\n')[0] ?? '';
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name}:`));
    return line?.slice(name.length + 1).trim();
  }

  /** The first response's body, parsed. */
  get json(): unknown {
    const body = this.received.split('\r\n\r\n').slice(1).join('\r\n\r\n');
    return JSON.parse(body);
  }

  close(): void {
    this.closedByUs = true;
    clearInterval(this.trickle);
    this.socket.destroy();
  }
}

/** The head of a request (with `Connection: keep-alive`), without its body. */
export const requestHead = (method: string, path: string, headers: Record<string, string>): string =>
  `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
