/**
 * Live feeds out of the log: Server-Sent Events (./sse) and the NATS JetStream transport — commands
 * in, events out from the log through an outbox (./nats). Both follow the log with `followLog`.
 */
export * from './sse';
