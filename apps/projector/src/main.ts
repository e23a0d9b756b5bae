import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, ConfigError, createRootLogger, loadConfig, PinoNestLogger } from '@app/platform';
import { ProjectorModule } from './projector.module';

/**
 * `npm run project`: a process that only projects, for deployments that keep projection out of
 * the API replicas (run those with NEWSROOM_PROJECTOR=off). Any number may run: one holds the
 * projector lease, the others stand by and take over within seconds when it dies. Same
 * configuration as the API (EVENT_STORE=postgres, DATABASE_URL, NEWSROOM_PG_SCHEMA); no API keys.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, { requireApiKeys: false });
    if (config.eventStore !== 'postgres') {
      throw new ConfigError(
        `the projector runs on EVENT_STORE=postgres (shared read models); on ${config.eventStore} the API projects itself`,
      );
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`newsroom-projector: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createRootLogger(config.logLevel);
  // It always contends for the lease; it keeps no local state (idempotency keys are the API's).
  const app = await NestFactory.createApplicationContext(
    ProjectorModule.forRoot({ ...config, projector: true, sqlitePath: ':memory:' }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  app.enableShutdownHooks();
  await app.init();
  // The lease's timers do not hold the process open on their own; this does, until a signal.
  setInterval(() => undefined, 60_000);
  logger.info({ eventStore: config.eventStore }, 'newsroom projector running');
}

void main();
