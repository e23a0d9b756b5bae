import {
  headers as natsHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/nats-core';
import { BROKER_HEADERS as H, commandSubjects } from './subjects';

/** A command as it arrived over NATS, before anything is checked: the app decides what it means. */
export interface IncomingCommand {
  /** The last token of the subject (`report-statement`). */
  name: string;
  /** The parsed JSON payload; `undefined` with `malformed` when it was not JSON. */
  payload: unknown;
  /** The payload's size in bytes (a payload over the app's limit is not parsed: see `maxPayloadBytes`). */
  size: number;
  malformed?: string;
  /** What `parse` threw for the payload (the app's own refusal, with its code), with `malformed`. */
  refusal?: unknown;
  authorization?: string;
  idempotencyKey?: string;
  msgId?: string;
  ifMatch?: string;
  correlationId?: string;
}

/** The answer, as HTTP would give it: its status, body, and the headers HTTP would set. */
export interface CommandReply {
  status: number;
  body: unknown;
  etag?: string;
  lagging?: boolean;
  replayed?: boolean;
}

export type CommandHandler = (command: IncomingCommand) => Promise<CommandReply>;

export interface CommandServerOptions {
  /** `<prefix>.commands.*` */
  prefix: string;
  handle: CommandHandler;
  /** What to answer when `maxInFlight` commands are already running (the app's problem details). */
  busy: () => CommandReply;
  onError: (error: unknown) => void;
  /** Commands run at once by this process; more are answered `busy` at once. Default 256. */
  maxInFlight?: number;
  /** Payloads larger than this are not parsed (the handler sees `size` and no payload). */
  maxPayloadBytes: number;
  /**
   * Reads a payload's bytes (default: JSON.parse of its text). The app passes its HTTP body
   * parser, so a payload is held to the same rules as a POST body (UTF-8, no NUL, depth...).
   */
  parse?: (bytes: Uint8Array) => unknown;
}

/**
 * Serves `<prefix>.commands.*` as request-reply in a queue group, so each command reaches one
 * replica, and answers on the message's reply subject (a message without one is run all the
 * same: a fire-and-forget sender relies on its Idempotency-Key or Nats-Msg-Id to retry safely).
 * Messages are handled concurrently, at most `maxInFlight` at once; the app's DecisionRunner
 * orders commands per stream.
 */
export class NatsCommandServer {
  private subscription: Subscription | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  private readonly maxInFlight: number;

  constructor(
    private readonly connection: NatsConnection,
    private readonly options: CommandServerOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 256;
  }

  start(): void {
    const { prefix, onError } = this.options;
    this.subscription = this.connection.subscribe(commandSubjects(prefix), {
      queue: `${prefix}.api`,
      callback: (error, message) => {
        if (error) return onError(error);
        // Core NATS cannot be asked to wait: past the bound, say so at once rather than queue
        // without limit (the sender retries with its Nats-Msg-Id).
        if (this.inFlight.size >= this.maxInFlight) return this.answer(message, this.options.busy());
        const work = this.serve(message).catch(onError);
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      },
    });
  }

  /** Stops taking commands and waits for those already taken to be answered. */
  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async serve(message: Msg): Promise<void> {
    this.answer(
      message,
      await this.options.handle(decode(message, this.options.maxPayloadBytes, this.options.parse)),
    );
  }

  private answer(message: Msg, reply: CommandReply): void {
    if (!message.reply) return;
    const out = natsHeaders();
    out.set(H.status, String(reply.status));
    out.set(H.contentType, reply.status >= 400 ? 'application/problem+json' : 'application/json');
    if (reply.etag) out.set(H.etag, reply.etag);
    if (reply.lagging) out.set(H.lagging, 'true');
    if (reply.replayed) out.set(H.replayed, 'true');
    message.respond(JSON.stringify(reply.body), { headers: out });
  }
}

function decode(
  message: Msg,
  maxPayloadBytes: number,
  parse: (bytes: Uint8Array) => unknown = () => message.json(),
): IncomingCommand {
  const tokens = message.subject.split('.');
  const header = (name: string): string | undefined => headerOf(message.headers, name);
  const size = message.data.length;
  const command: IncomingCommand = { name: tokens[tokens.length - 1] ?? '', payload: undefined, size };
  const fields: [keyof IncomingCommand, string][] = [
    ['authorization', H.authorization],
    ['idempotencyKey', H.idempotencyKey],
    ['msgId', H.msgId],
    ['ifMatch', H.ifMatch],
    ['correlationId', H.correlationId],
  ];
  for (const [field, name] of fields) {
    const value = header(name);
    if (value !== undefined) (command as unknown as Record<string, string>)[field] = value;
  }
  if (size > maxPayloadBytes) return command;
  try {
    command.payload = size === 0 ? undefined : parse(message.data);
  } catch (error) {
    command.malformed = error instanceof Error ? error.message : String(error);
    command.refusal = error;
  }
  return command;
}

/** Header names are matched without regard to case, as HTTP's are. */
function headerOf(headers: MsgHdrs | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, values] of headers) {
    if (key.toLowerCase() === name.toLowerCase()) return values[0];
  }
  return undefined;
}
