import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { type AppConfig, ConfigError, createRootLogger, loadConfig } from '@app/platform';
import { createApp } from './bootstrap';
import { describeStartupFailure } from './startup-failure';

/** Exit statuses: a configuration mistake (fix the environment) or anything else that stopped the start. */
const EXIT = { startupFailed: 1, config: 2 } as const;
/** A failed start still releases the store if it can, but never hangs on it. */
const CLOSE_TIMEOUT_MS = 3000;

async function main(): Promise<void> {
  const localDefaults = process.argv.includes('--local-defaults');
  let config;
  try {
    config = loadConfig(process.env, { localDefaults });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`newsroom-api: ${error.message}\n`);
    process.exit(EXIT.config);
  }
  const logger = createRootLogger(config.logLevel);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config, logger);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await failStartup(error, config, logger, app);
  }
  const url = `http://localhost:${config.port}`;
  logger.info({ url, eventStore: config.eventStore, demo: config.demo }, 'newsroom API listening');
  if (config.generatedLocalKey) printLocalKey(config.generatedLocalKey, url);
}

/**
 * Standard output carries the JSON log, which shippers collect: the key goes to stderr, and in
 * full only to a terminal (a person who ran `npm start`); a redirected stderr gets the file's name.
 */
function printLocalKey(local: { key: string; file: string }, url: string): void {
  if (!process.stderr.isTTY) {
    process.stderr.write(`newsroom-api: local admin key in ${local.file}\n`);
    return;
  }
  process.stderr.write(
    `\n  Local admin key (kept in ${local.file}):\n    ${local.key}\n` +
      `  Try: curl -H "Authorization: Bearer ${local.key}" "${url}/claims?status=contested"\n` +
      `  API docs: ${url}/docs\n\n`,
  );
}

/** One line on stderr for the person starting it, the details in the log, then exit 1. */
async function failStartup(
  error: unknown,
  config: AppConfig,
  logger: Logger,
  app: NestFastifyApplication | undefined,
): Promise<never> {
  const { line, expected } = describeStartupFailure(error, { host: config.host, port: config.port });
  // An expected cause needs no stack, even in the log; an unexpected one keeps it there.
  logger.fatal(expected ? { code: (error as { code?: string }).code } : { err: error }, line);
  process.stderr.write(`newsroom-api: ${line}\n`);
  if (app !== undefined) {
    const closing = app.close().catch(() => undefined);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
  }
  process.exit(EXIT.startupFailed);
}

main().catch((error: unknown) => {
  // Only a bug gets here (failures of the start itself are handled above); still one line.
  process.stderr.write(`newsroom-api: ${describeStartupFailure(error, undefined).line}\n`);
  process.exit(EXIT.startupFailed);
});
