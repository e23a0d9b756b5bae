import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { claimRecordFrom, type ClaimView, deriveClaimView, EventCodec } from '@app/claims';
import { type EventStore, openSqliteDatabase } from '@app/event-store';
import { ProjectionRunner, SqliteReadModels } from '@app/projections';
import { type CliIo, CliError, EXIT, json, writeChunk } from '../support/cli-io';
import { auditorConfig, openLogSource } from '../support/log-source';
import { startProgress } from '../support/progress';

const FORMATS = ['text', 'json', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];
const PAGE = 500;

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
    .option('--out <db file>', 'the new SQLite file for the read models (default: a temporary file)')
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'text')
    .action(async (options: ReplayOptions) => exit(await replay(io, options)));
}

async function replay(io: CliIo, options: ReplayOptions): Promise<number> {
  const format = parseFormat(options.format);
  const statedBefore = options.statedBefore === undefined ? undefined : checkInstant(options.statedBefore);
  const dbFile = targetFile(options.out);
  const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
  const db = openSqliteDatabase(dbFile);
  try {
    const cut = await resolveCut(source.store, options.asOf);
    const readModels = new SqliteReadModels(db);
    const codec = new EventCodec();
    const runner = new ProjectionRunner(source.store, readModels, (stored) => codec.decode(stored));
    const progress = startProgress(io, 'replay', Number(cut), { json: format !== 'text' });
    let done = 0n;
    await runner.rebuild((at) => {
      progress.tick(Number(at.position - done));
      done = at.position;
    }, cut);
    progress.stop();
    const views = claimViews(readModels, statedBefore);
    await print(io, format, views, { cut, dbFile });
  } finally {
    db.close();
    await source.close();
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

/** Never into an existing file: a replay must not mix with (or clobber) live read models. */
function targetFile(out: string | undefined): string {
  if (out === undefined) return join(mkdtempSync(join(tmpdir(), 'newsroom-replay-')), 'read-models.db');
  const file = resolve(out);
  if (existsSync(file)) throw new CliError(`${file} exists: replay writes into a new database`);
  return file;
}

/** Claims in opening order, a page at a time; with statedBefore, re-derived from the records. */
function* claimViews(readModels: SqliteReadModels, statedBefore: string | undefined): Generator<ClaimView> {
  let after = 0n;
  for (;;) {
    const rows = readModels.listClaims({ afterOpened: after, limit: PAGE });
    for (const row of rows) {
      if (statedBefore === undefined) yield row.view;
      else {
        const state = readModels.claim(row.view.claimId);
        if (state !== undefined) {
          const record = claimRecordFrom(state, readModels.statementsOfClaim(state.claimId));
          yield deriveClaimView(record, (id) => readModels.source(id), { statedBefore });
        }
      }
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return;
    after = last.openedPosition;
  }
}

async function print(
  io: CliIo,
  format: Format,
  views: Iterable<ClaimView>,
  where: { cut: bigint; dbFile: string },
): Promise<void> {
  if (format === 'json') {
    io.stdout.write(
      json({ asOfPosition: where.cut.toString(), readModels: where.dbFile, claims: [...views] }),
    );
    return;
  }
  if (format === 'ndjson') {
    for (const view of views) await writeChunk(io.stdout, `${JSON.stringify(view)}\n`);
    return;
  }
  io.stdout.write(`claims as of position ${where.cut} (read models in ${where.dbFile}):\n`);
  for (const view of views) {
    await writeChunk(io.stdout, `  ${view.status.padEnd(14)} ${view.claimId}  ${view.proposition.text}\n`);
  }
}
