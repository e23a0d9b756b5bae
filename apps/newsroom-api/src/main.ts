import 'reflect-metadata';
import { ConfigError, createRootLogger, loadConfig } from '@app/platform';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const localDefaults = process.argv.includes('--local-defaults');
  let config;
  try {
    config = loadConfig(process.env, { localDefaults });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`newsroom-api: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createRootLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  logger.info({ url, eventStore: config.eventStore, demo: config.demo }, 'newsroom API listening');
  if (config.generatedLocalKey) {
    // Printed to the terminal for the person who ran the README's start command, never to the log.
    process.stdout.write(
      `\n  Local admin key (kept in ${config.generatedLocalKey.file}):\n    ${config.generatedLocalKey.key}\n` +
        `  Try: curl -H "Authorization: Bearer ${config.generatedLocalKey.key}" "${url}/claims?status=contested"\n` +
        `  API docs: ${url}/docs\n\n`,
    );
  }
}

void main();
