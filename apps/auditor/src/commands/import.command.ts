import type { Command } from 'commander';
import type { EventImporter, StoredEvent } from '@app/event-store';
import { LogVerifier, type VerificationReport } from '@app/integrity';
import { type CliIo, CliError, EXIT, json } from '../support/cli-io';
import { describeProblem } from '../support/audit-pass';
import { auditorConfig, openLogSource } from '../support/log-source';
import { readNdjson } from '../support/ndjson';
import { startProgress } from '../support/progress';

const BATCH = 5_000;

interface ImportOptions {
  json?: boolean;
}

export function registerImport(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('import')
    .description('load an NDJSON export into an EMPTY store, keeping every id, time, position and hash')
    .argument('<file.ndjson>', 'an export')
    .option('--json', 'machine-readable result')
    .action(async (file: string, options: ImportOptions) => exit(await importLog(io, file, options)));
}

async function importLog(io: CliIo, file: string, options: ImportOptions): Promise<number> {
  const asJson = options.json === true;
  // The file is verified in full before the first write: a bad line must not leave half a log.
  const report = await verifyFile(file);
  if (!report.ok) {
    io.stdout.write(
      asJson ? json(report) : `import: REFUSED: the file does not verify: ${describeProblem(report)}`,
    );
    return EXIT.failed;
  }
  const source = await openLogSource(auditorConfig(io.env), { mustExist: false });
  try {
    const importer = source.importer;
    if (importer === undefined)
      throw new CliError(`the ${source.describe} store cannot import recorded events`);
    if ((await source.store.headPosition()) > 0n) {
      throw new CliError(`the ${source.describe} store is not empty: import only into an empty store`);
    }
    await load(io, importer, file, report.events, asJson);
  } finally {
    await source.close();
  }
  io.stdout.write(
    asJson
      ? json({
          ok: true,
          events: report.events,
          rootHash: report.rootHash,
          lastPosition: report.lastPosition,
        })
      : `import: ${report.events} events imported into ${source.describe}; tree root ${report.rootHash}\n`,
  );
  return EXIT.ok;
}

async function verifyFile(file: string): Promise<VerificationReport> {
  const verifier = new LogVerifier({ densePositions: true });
  for await (const event of readNdjson(file)) {
    verifier.accept(event);
    if (verifier.settled) break;
  }
  return verifier.finish();
}

async function load(
  io: CliIo,
  importer: EventImporter,
  file: string,
  total: number,
  asJson: boolean,
): Promise<void> {
  const progress = startProgress(io, 'import', total, { json: asJson });
  let batch: StoredEvent[] = [];
  try {
    for await (const event of readNdjson(file)) {
      batch.push(event);
      if (batch.length < BATCH) continue;
      await importer.importRecorded(batch);
      progress.tick(batch.length);
      batch = [];
    }
    if (batch.length > 0) await importer.importRecorded(batch);
  } finally {
    progress.stop();
  }
}
