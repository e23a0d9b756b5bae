/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events": the event stream format). A
 * message is `field: value` lines ended by a blank line; a line that starts with `:` is a comment,
 * which clients ignore (our heartbeat). Values may not hold a line break (CR, LF or CRLF end a line),
 * so `data` is split into one `data:` line per line and the other fields refuse one.
 */

export interface SseMessage {
  /** The position of the event in the log, as the SSE `id` (what a client resumes from). */
  id?: string;
  /** The event type: a client listens with `addEventListener(type)`. */
  event?: string;
  data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

export class SseFrameError extends Error {
  override readonly name = 'SseFrameError';
  readonly code = 'SSE_FRAME_INVALID';
}

function singleLine(field: string, value: string): string {
  if (LINE_BREAK.test(value)) throw new SseFrameError(`the SSE ${field} must not contain a line break`);
  // A NUL in an id makes clients ignore the field (the spec), so the id would silently not move.
  if (field === 'id' && value.includes('\0')) throw new SseFrameError('the SSE id must not contain NUL');
  return value;
}

/** One message, ready to write: `id`, `event`, then one `data:` line per line of data. */
export function frameMessage(message: SseMessage): string {
  let out = '';
  if (message.id !== undefined) out += `id: ${singleLine('id', message.id)}\n`;
  if (message.event !== undefined) out += `event: ${singleLine('event', message.event)}\n`;
  for (const line of message.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** A comment: ignored by clients, keeps proxies and the client's idle timers from closing the stream. */
export function frameComment(text: string): string {
  return `: ${singleLine('comment', text)}\n\n`;
}

/** How long a client waits before it reconnects after the stream ends (the SSE `retry` field). */
export function frameRetry(milliseconds: number): string {
  if (!Number.isInteger(milliseconds) || milliseconds < 0)
    throw new SseFrameError(`the SSE retry must be a non-negative integer, not ${milliseconds}`);
  return `retry: ${milliseconds}\n\n`;
}

/** The heartbeat of the contract between helpers (DESIGN.md): the comment line `: heartbeat`. */
export const HEARTBEAT = frameComment('heartbeat');
