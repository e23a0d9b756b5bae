import { readSse, type SseMessage } from './live-feed';

const streamOf = (...chunks: string[]): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
};

describe('reading the SSE feed', () => {
  it('parses messages split across chunks, skips heartbeats, and keeps ids for resuming', async () => {
    const messages: SseMessage[] = [];
    await readSse(
      streamOf(
        ': heartbeat\n\n',
        'id: 41\nevent: StatementReported\nda',
        'ta: {"position":"41"}\n\n',
        'id: 42\r\nevent: VerdictIssued\r\ndata: {"a":1}\r\ndata: {"b":2}\r\n\r\n',
        ': heartbeat\n\n',
      ),
      (message) => messages.push(message),
    );
    expect(messages).toEqual([
      { id: '41', event: 'StatementReported', data: '{"position":"41"}' },
      { id: '42', event: 'VerdictIssued', data: '{"a":1}\n{"b":2}' },
    ]);
  });
});
