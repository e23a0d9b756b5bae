import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Logger as Pino } from 'pino';
import { type AppConfig, createRootLogger, PinoNestLogger } from '@app/platform';
import { AppModule } from './app.module';
import { BrokerService } from './broker/broker.service';
import { DemoLoader } from './demo/demo-loader';
import { BODY_LIMIT_BYTES } from './http/body-limit';
import { capConnections, hardenedServerOptions, installUrlTextCheck } from './http/hardening';
import { IdempotencyRecovery } from './http/idempotency-recovery';
import { installJsonBodyParser } from './http/json-body';
import { componentSchemas } from './http/responses/registry';
import { installUtf8Payloads } from './http/utf8-payload';
import { MetricsService } from './ops/metrics.service';
import { IdentityReveal } from './protection/identity-reveal';

/** The API's version in the OpenAPI document: package.json's. */
const API_VERSION = '0.1.0';

/** Builds the API (not yet listening): used by main.ts and by the end-to-end tests. */
export async function createApp(config: AppConfig, logger: Pino = createRootLogger(config.logLevel)) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // One id per request in the logs and in the events it appends: the caller's X-Correlation-Id
    // when it sends a sane one, else a fresh UUID (a hostile header never reaches the logs).
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) =>
      saneCorrelationId(request.headers['x-correlation-id']) ?? randomUUID(),
    // Timeouts, and problem details for what is refused before routing (docs/security.md).
    ...hardenedServerOptions(config.http),
  });
  installJsonBodyParser(adapter.getInstance());
  installUrlTextCheck(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // The JSON body parser is ours (http/json-body.ts), installed on the adapter above.
    bodyParser: false,
  });
  installMetrics(app);
  // onSend hooks run in this order: names revealed in the JSON text first, then the text as bytes.
  app.get(IdentityReveal).install(app.getHttpAdapter().getInstance());
  installUtf8Payloads(app.getHttpAdapter().getInstance());
  installOpenApi(app);
  capConnections(app.getHttpServer(), config.http, (cap) =>
    logger.debug({ cap }, 'connection refused: too many open connections'),
  );
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.get(IdempotencyRecovery).recover();
  await app.get(DemoLoader).loadIfEmpty();
  // After recovery: a NATS command must not reserve a key that recovery is about to resolve.
  await app.get(BrokerService).start();
  return app;
}

/** The same rule as the events' correlation id (request-context.ts): short, plain characters. */
function saneCorrelationId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : undefined;
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
  const config = new DocumentBuilder()
    .setTitle('Newsroom ledger')
    .setDescription(
      'Attributed statements as immutable events; claims projected as corroborated, contested, single-source, unconfirmed, retracted or unsourced, now and as of any moment. Errors are RFC 9457 problem details with a stable `code`.',
    )
    .setVersion(API_VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'The server that serves this document')
    .addTag('claims', 'Claims, their statements, timeline and verdicts')
    .addTag('sources', 'The people, organizations and outlets statements come from')
    .addTag('audit', 'The raw event log (auditor, admin)')
    .addTag('operations', 'Health and metrics (no key needed)')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // Opaque keys from NEWSROOM_API_KEYS, compared by digest: not JWTs, nothing to decode.
        bearerFormat: 'opaque API key',
        description: 'An opaque API key from `NEWSROOM_API_KEYS`: `Authorization: Bearer <key>`',
      },
      'bearer',
    )
    .build();
  SwaggerModule.setup('docs', app, () => withComponents(SwaggerModule.createDocument(app, config)), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
}

/** What each path parameter names: Nest documents them as bare strings. */
const PATH_IDS: Record<string, string> = {
  claimId: "the claim's id (a UUID)",
  sourceId: "the source's id (a UUID)",
  statementId: "the statement's id (a UUID)",
  verdictId: "the verdict's id (a UUID)",
};

/** The response schemas the routes $ref, named (docs/decisions/0013), and the path ids described. */
function withComponents(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      for (const parameter of (operation as { parameters?: unknown[] }).parameters ?? []) {
        const param = parameter as { in?: string; name?: string; description?: string };
        const description = param.in === 'path' ? PATH_IDS[param.name ?? ''] : undefined;
        if (description !== undefined) param.description ??= description;
      }
    }
  }
  return {
    ...document,
    // Nest writes 3.0.0; every schema here is JSON Schema 2020-12, as 3.1 has them.
    openapi: '3.1.0',
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, ...componentSchemas() },
    },
  };
}
