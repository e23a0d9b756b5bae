import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { BoundedSseWriter } from './sse-writer';

/**
 * A response whose client reads only when told: `writableLength` counts what it has not taken,
 * and each write's callback runs once `take` has taken that write.
 */
class FakeResponse extends EventEmitter {
  writableLength = 0;
  ended: string | undefined;
  readonly written: string[] = [];
  private readonly pending: { bytes: number; done: () => void }[] = [];
  readonly socket = Object.assign(new EventEmitter(), {
    setNoDelay: jest.fn(),
    destroySoon: jest.fn(),
    destroy: jest.fn(),
  });

  writeHead = jest.fn();

  write(chunk: string, done: () => void): boolean {
    this.written.push(chunk);
    this.writableLength += chunk.length;
    this.pending.push({ bytes: chunk.length, done });
    return this.writableLength < 16;
  }

  end(chunk: string): void {
    this.ended = chunk;
  }

  /** The client takes the oldest `count` writes. */
  take(count = Infinity): void {
    for (let i = 0; i < count && this.pending.length > 0; i++) {
      const write = this.pending.shift()!;
      this.writableLength -= write.bytes;
      write.done();
    }
  }
}

const settings = { maxBufferedBytes: 100, stallMs: 1_000, heartbeatMs: 5_000, closeGraceMs: 500 };
const open = (overrides: Partial<typeof settings> = {}) => {
  const response = new FakeResponse();
  const writer = new BoundedSseWriter(response as unknown as ServerResponse, { ...settings, ...overrides });
  writer.begin('retry: 1\n\n');
  return { response, writer };
};
const message = 'x'.repeat(40);
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
};

describe('BoundedSseWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says when the buffer is full, and makes room once the client has taken enough', async () => {
    const { response, writer } = open();
    expect(writer.send(message)).toBe(true); // the preamble (10 bytes) and 40 wait
    expect(writer.send(message)).toBe(true); // 90
    expect(writer.send(message)).toBe(false); // 130: full
    const room = writer.room();
    expect(await settled(room)).toBe(false);
    response.take(1); // the preamble: 120 still wait
    expect(await settled(room)).toBe(false);
    response.take(1); // 80 wait
    expect(await settled(room)).toBe(true);
    expect(writer.stats).toMatchObject({ messages: 3, peakBufferedBytes: 130 });
  });

  it('cuts off a client that takes nothing for a whole stall, with a last message and then the socket', () => {
    const { response, writer } = open();
    writer.send(message);
    jest.advanceTimersByTime(1_000); // bytes wait: noted
    expect(writer.closedReason).toBeUndefined();
    jest.advanceTimersByTime(1_000); // still waiting, nothing taken: confirmed after the I/O phase
    jest.runOnlyPendingTimers();
    expect(writer.closedReason).toBe('slow-consumer');
    expect(writer.signal.aborted).toBe(true);
    expect(response.ended).toBe('event: feed-closed\ndata: {"reason":"slow-consumer"}\n\n');
    expect(response.socket.destroySoon).toHaveBeenCalled();
    jest.advanceTimersByTime(500);
    expect(response.socket.destroy).toHaveBeenCalled();
  });

  it('never cuts off a client that keeps taking bytes, however slowly', () => {
    const { response, writer } = open();
    for (let i = 0; i < 10; i++) {
      writer.send(message);
      writer.send(message);
      jest.advanceTimersByTime(1_000);
      response.take(1);
    }
    expect(writer.closedReason).toBeUndefined();
  });

  it('sends a heartbeat only when nothing waits', () => {
    const { response } = open({ stallMs: 60_000 });
    jest.advanceTimersByTime(5_000); // the preamble waits
    expect(response.written.filter((w) => w === ': heartbeat\n\n')).toHaveLength(0);
    response.take();
    jest.advanceTimersByTime(5_000);
    expect(response.written.filter((w) => w === ': heartbeat\n\n')).toHaveLength(1);
  });

  it('ends when the client goes: the producer is released and told', async () => {
    const { response, writer } = open();
    writer.send(message);
    writer.send(message);
    const room = writer.room();
    const reasons: string[] = [];
    writer.onClose((reason) => reasons.push(reason));
    response.emit('close');
    expect(await settled(room)).toBe(true);
    expect(reasons).toEqual(['client-gone']);
    expect(writer.send(message)).toBe(false);
    writer.close('shutdown'); // too late: nothing more is written
    expect(response.ended).toBeUndefined();
  });
});
