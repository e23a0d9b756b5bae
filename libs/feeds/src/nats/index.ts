/** The NATS JetStream transport: commands in (request-reply), events out of the log (an outbox). */
export * from './connect';
export * from './subjects';
export * from './command-server';
export * from './event-outbox';
