import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ClaimView } from '@app/claims';
import type { EventStore } from '@app/event-store';
import { type CliIo, CliError, EXIT, writeChunk } from '../support/cli-io';
import { auditorConfig, openLogSource } from '../support/log-source';
import { startProgress } from '../support/progress';

const FORMATS = ['text', 'json', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];

interface ReplayOptions {
  asOf: string;
  statedBefore?: string;
  out?: string;
  format: string;
}

export function registerReplay(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('replay')
    .description('rebuild every read model as of a cut into a separate database and print the claims')
    .requiredOption(
      '--as-of <time|position>',
      'recorded-time cut: an ISO instant with a zone, or a log position',
    )
    .option('--stated-before <time>', 'keep only statements said before this ISO instant')
    .option(
      '--out <db file>',
      'keep the read models in this new SQLite file (default: a temporary one, removed afterwards)',
    )
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'text')
    .action(async (options: ReplayOptions) => exit(await replay(io, options)));
}

async function replay(io: CliIo, options: ReplayOptions): Promise<number> {
  const format = parseFormat(options.format);
  const statedBefore = options.statedBefore === undefined ? undefined : checkInstant(options.statedBefore);
  const target = targetFile(options.out);
  try {
    const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
    try {
      const cut = await resolveCut(source.store, options.asOf);
      const { rebuildReadModels } = await import('./replay/rebuild');
      const progress = startProgress(io, 'replay', Number(cut), { json: format !== 'text' });
      let done = 0n;
      const readModels = await rebuildReadModels(source.store, target.file, cut, (position) => {
        progress.tick(Number(position - done));
        done = position;
      });
      progress.stop();
      try {
        await print(io, format, readModels.claims(statedBefore), {
          cut,
          kept: options.out === undefined ? undefined : target.file,
        });
      } finally {
        readModels.close();
      }
    } finally {
      await source.close();
    }
  } finally {
    target.cleanUp();
  }
  return EXIT.ok;
}

/** A position is all digits; anything else is a recorded-time instant, resolved by the store. */
async function resolveCut(store: EventStore, asOf: string): Promise<bigint> {
  if (/^[0-9]+$/.test(asOf)) return BigInt(asOf);
  try {
    return await store.positionAt(checkInstant(asOf));
  } catch (error) {
    throw new CliError(`--as-of: ${(error as Error).message}`);
  }
}

function checkInstant(text: string): string {
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || Number.isNaN(Date.parse(text))) {
    throw new CliError(`${text} is not an ISO 8601 instant with a zone (Z or ±hh:mm)`);
  }
  return text;
}

function parseFormat(format: string): Format {
  if (!(FORMATS as readonly string[]).includes(format))
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
  return format as Format;
}

/**
 * Never into an existing file: a replay must not mix with (or clobber) live read models. Without
 * --out the read models go to a temporary directory that is removed however the replay ends.
 */
function targetFile(out: string | undefined): { file: string; cleanUp: () => void } {
  if (out === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-replay-'));
    return {
      file: join(dir, 'read-models.db'),
      cleanUp: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const file = resolve(out);
  if (existsSync(file)) throw new CliError(`${file} exists: replay writes into a new database`);
  return { file, cleanUp: () => undefined };
}

/** Streams the claims, whatever their number: even `json` is written one claim per line. */
async function print(
  io: CliIo,
  format: Format,
  views: Iterable<ClaimView>,
  where: { cut: bigint; kept: string | undefined },
): Promise<void> {
  if (format === 'ndjson') {
    for (const view of views) await writeChunk(io.stdout, `${JSON.stringify(view)}\n`);
    return;
  }
  if (format === 'json') {
    const kept = where.kept === undefined ? '' : `  "readModels": ${JSON.stringify(where.kept)},\n`;
    await writeChunk(io.stdout, `{\n  "asOfPosition": "${where.cut}",\n${kept}  "claims": [`);
    let separator = '\n    ';
    for (const view of views) {
      await writeChunk(io.stdout, `${separator}${JSON.stringify(view)}`);
      separator = ',\n    ';
    }
    await writeChunk(io.stdout, `${separator === '\n    ' ? '' : '\n  '}]\n}\n`);
    return;
  }
  const kept = where.kept === undefined ? '' : ` (read models in ${where.kept})`;
  await writeChunk(io.stdout, `claims as of position ${where.cut}${kept}:\n`);
  for (const view of views) {
    await writeChunk(io.stdout, `  ${view.status.padEnd(14)} ${view.claimId}  ${view.proposition.text}\n`);
  }
}
