export * from './config/app-config';
export * from './auth/roles';
export * from './auth/api-key.guard';
export * from './logging/pino-logger';
