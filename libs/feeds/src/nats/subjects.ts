/**
 * The broker's names (docs/decisions/0015): commands on `<prefix>.commands.<command>`, events on
 * `<prefix>.events.<EventType>` in one JetStream stream. The prefix is `newsroom` unless
 * NATS_SUBJECT_PREFIX says otherwise (tests use one per run so they never see each other).
 */
export const commandSubjects = (prefix: string): string => `${prefix}.commands.*`;

export const commandSubject = (prefix: string, command: string): string => `${prefix}.commands.${command}`;

export const eventSubjects = (prefix: string): string => `${prefix}.events.>`;

/** An event type as one subject token: anything a token may not hold (`.`, `*`, `>`, space) becomes `_`. */
export const eventSubject = (prefix: string, type: string): string =>
  `${prefix}.events.${type.replace(/[.*>\s]/g, '_')}`;

/** Headers the broker reads and writes. HTTP's names where HTTP has one, so clients share code. */
export const BROKER_HEADERS = {
  authorization: 'Authorization',
  idempotencyKey: 'Idempotency-Key',
  /** JetStream's de-duplication id; a command without Idempotency-Key uses it as the key. */
  msgId: 'Nats-Msg-Id',
  ifMatch: 'If-Match',
  correlationId: 'X-Correlation-Id',
  /** The HTTP status the same request would have had (NATS has no status of its own for replies). */
  status: 'Newsroom-Status',
  etag: 'ETag',
  replayed: 'Idempotent-Replayed',
  lagging: 'X-Read-Models-Lagging',
  contentType: 'Content-Type',
  /** On every published event: its global position in the log (decimal), the outbox's checkpoint. */
  position: 'Newsroom-Position',
  /** On an event too large for a NATS message: `too-large`; its data is read from GET /events. */
  dataOmitted: 'Newsroom-Data-Omitted',
  eventType: 'Newsroom-Event-Type',
} as const;
