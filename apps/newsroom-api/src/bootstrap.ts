import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger as Pino } from 'pino';
import { type AppConfig, createRootLogger, PinoNestLogger } from '@app/platform';
import { AppModule } from './app.module';
import { DemoLoader } from './demo/demo-loader';
import { IdempotencyRecovery } from './http/idempotency-recovery';
import { installUtf8Payloads } from './http/utf8-payload';
import { MetricsService } from './ops/metrics.service';

/** Bodies larger than this are refused with 413 before they are parsed. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the API (not yet listening): used by main.ts and by the end-to-end tests. */
export async function createApp(config: AppConfig, logger: Pino = createRootLogger(config.logLevel)) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // One id per request in the logs and in the events it appends: the caller's X-Correlation-Id
    // when it sends a sane one, else a fresh UUID.
    requestIdHeader: 'x-correlation-id',
    genReqId: () => randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  installMetrics(app);
  installUtf8Payloads(app.getHttpAdapter().getInstance());
  installOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.get(IdempotencyRecovery).recover();
  await app.get(DemoLoader).loadIfEmpty();
  return app;
}

function installMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
}

function installOpenApi(app: NestFastifyApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Newsroom ledger')
    .setDescription(
      'Attributed statements as immutable events; claims projected as corroborated, contested, unconfirmed or retracted, now and as of any moment. Errors are RFC 9457 problem details.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an API key from NEWSROOM_API_KEYS' },
      'bearer',
    )
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
}
