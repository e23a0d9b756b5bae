import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { type CliIo, EXIT, type OutputStream, writeChunk } from '../support/cli-io';
import { auditorConfig, openLogSource, readLog } from '../support/log-source';
import { toNdjsonLine } from '../support/ndjson';
import { startProgress } from '../support/progress';

interface ExportOptions {
  out?: string;
}

export function registerExport(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('export')
    .description('the whole log as NDJSON, one event per line in position order')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: ExportOptions) => exit(await exportLog(io, options)));
}

async function exportLog(io: CliIo, options: ExportOptions): Promise<number> {
  const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
  const file = options.out === undefined ? undefined : createWriteStream(options.out, { flags: 'wx' });
  const target: OutputStream = file ?? io.stdout;
  // A bar drawn while NDJSON goes to the same terminal would corrupt it: only with --out.
  const total = file === undefined ? 0 : Number(await source.store.headPosition());
  const progress = startProgress(io, 'export', total, { json: false });
  let count = 0;
  try {
    for await (const event of readLog(source.store)) {
      await writeChunk(target, toNdjsonLine(event));
      progress.tick();
      count += 1;
    }
  } finally {
    progress.stop();
    await source.close();
    if (file !== undefined) {
      file.end();
      await once(file, 'close');
    }
  }
  if (file !== undefined) io.stdout.write(`export: ${count} events written to ${options.out}\n`);
  return EXIT.ok;
}
