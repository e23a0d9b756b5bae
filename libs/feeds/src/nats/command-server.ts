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
  malformed?: string;
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

/**
 * Serves `<prefix>.commands.*` as request-reply in a queue group, so each command reaches one
 * replica, and answers on the message's reply subject (a message without one is run all the
 * same: a fire-and-forget sender relies on its Idempotency-Key or Nats-Msg-Id to retry safely).
 * Messages are handled concurrently; the app's DecisionRunner orders commands per stream.
 */
export class NatsCommandServer {
  private subscription: Subscription | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly connection: NatsConnection,
    private readonly prefix: string,
    private readonly handle: CommandHandler,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.subscription = this.connection.subscribe(commandSubjects(this.prefix), {
      queue: `${this.prefix}.api`,
      callback: (error, message) => {
        if (error) return this.onError(error);
        const work = this.serve(message).catch(this.onError);
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
    const reply = await this.handle(decode(message));
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

function decode(message: Msg): IncomingCommand {
  const tokens = message.subject.split('.');
  const header = (name: string): string | undefined => headerOf(message.headers, name);
  const command: IncomingCommand = { name: tokens[tokens.length - 1] ?? '', payload: undefined };
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
  try {
    command.payload = message.data.length === 0 ? undefined : message.json();
  } catch (error) {
    command.malformed = error instanceof Error ? error.message : String(error);
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
