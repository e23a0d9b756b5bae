export * from './config/app-config';
export { type ApiKeyEntry, parseApiKeys } from './config/api-keys';
export type { FeedSettings } from './config/feed-settings';
export type { NatsConfig } from './config/nats-config';
export * from './config/http-limits';
export * from './auth/roles';
export * from './auth/api-key.guard';
export * from './logging/pino-logger';
