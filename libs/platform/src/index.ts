export * from './config/app-config';
export * from './config/http-limits';
export * from './auth/roles';
export * from './auth/api-key.guard';
export * from './logging/pino-logger';
