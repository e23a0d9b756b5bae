import { z } from 'zod';
import { ProblemError } from '../http/problem';
import { position } from '../http/schemas';

/** `?after=`: for clients that cannot send Last-Event-ID (which wins when both are sent). */
const after = position
  .optional()
  .meta({ description: 'resume after this position; without it (and Last-Event-ID), from the head' });
export const feedQuery = z.strictObject({ after });

/** GET /events/stream: the log, or the part of it one stream type, story or claim owns. */
export const eventsStreamQuery = z.strictObject({
  after,
  streamType: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,39}$/, 'must be a stream type such as "claim" or "source"')
    .optional(),
  storyId: z.string().min(1).max(200).optional(),
  claimId: z.uuid({ message: 'must be a UUID' }).optional(),
});

/**
 * Where a feed starts: after the Last-Event-ID the client sends on reconnect (an EventSource sends
 * the id of the last message it received, and keeps the URL, so the header wins over `?after=`),
 * else `?after=`, else undefined (from the head: only what comes next).
 */
export function resumePosition(
  header: string | string[] | undefined,
  after: string | undefined,
): bigint | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.trim() !== '') {
    const parsed = position.safeParse(value.trim());
    if (!parsed.success) {
      const message = 'must be a decimal position (the id of the last event received)';
      throw new ProblemError(
        400,
        'VALIDATION_FAILED',
        'The request is not valid',
        `Last-Event-ID ${message}`,
        [{ field: 'Last-Event-ID', message }],
      );
    }
    return BigInt(parsed.data);
  }
  return after === undefined ? undefined : BigInt(after);
}
