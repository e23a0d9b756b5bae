import { frameComment, frameMessage, frameRetry, HEARTBEAT, SseFrameError } from './sse-frame';

describe('SSE framing', () => {
  it('writes id, event and data lines, then a blank line', () => {
    expect(frameMessage({ id: '42', event: 'StatementReported', data: '{"a":1}' })).toBe(
      'id: 42\nevent: StatementReported\ndata: {"a":1}\n\n',
    );
    expect(frameMessage({ data: 'x' })).toBe('data: x\n\n');
  });

  it('splits data on every kind of line break into data lines (a client joins them with LF)', () => {
    expect(frameMessage({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(frameMessage({ data: '' })).toBe('data: \n\n');
  });

  it('keeps the JSON of an event on one data line, whatever its strings hold', () => {
    const data = JSON.stringify({ quote: 'line one\nline two\r\u2028' });
    expect(frameMessage({ id: '1', data })).toBe(`id: 1\ndata: ${data}\n\n`);
  });

  it('refuses a line break in an id, an event type or a comment, and a NUL in an id', () => {
    expect(() => frameMessage({ id: '1\n2', data: '' })).toThrow(SseFrameError);
    expect(() => frameMessage({ event: 'a\rb', data: '' })).toThrow(SseFrameError);
    expect(() => frameComment('a\nb')).toThrow(SseFrameError);
    expect(() => frameMessage({ id: '1\0', data: '' })).toThrow(SseFrameError);
  });

  it('writes comments (the heartbeat) and the retry field', () => {
    expect(HEARTBEAT).toBe(': heartbeat\n\n');
    expect(frameRetry(2000)).toBe('retry: 2000\n\n');
    expect(() => frameRetry(-1)).toThrow(SseFrameError);
    expect(() => frameRetry(1.5)).toThrow(SseFrameError);
  });
});
