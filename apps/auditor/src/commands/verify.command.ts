import type { Command } from 'commander';
import { InvalidTreeHeadError, type SignedTreeHead, type VerificationReport } from '@app/integrity';
import { type CliIo, CliError, EXIT, json } from '../support/cli-io';
import { auditPass, describeProblem } from '../support/audit-pass';
import { auditorConfig, openLogSource } from '../support/log-source';
import { readJsonFile, verifyKey } from '../support/signing-key';

interface VerifyOptions {
  against?: string;
  publicKey?: string;
  json?: boolean;
  threads?: number;
}

export function registerVerify(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('verify')
    .description('re-hash the whole log, check every stream chain and the Merkle tree')
    .option('--against <tree-head.json>', 'an earlier signed tree head that the log must extend')
    .option(
      '--public-key <file>',
      'the log public key (PEM or base64) for --against; default: from the signing key',
    )
    .option('--json', 'machine-readable report')
    .option(
      '--threads <n>',
      'threads hashing the SQLite log beside the main one (default: one per core, at most 3; 0: none)',
      parseThreads,
    )
    .action(async (options: VerifyOptions) => exit(await verify(io, options)));
}

async function verify(io: CliIo, options: VerifyOptions): Promise<number> {
  const json_ = options.json === true;
  const against =
    options.against === undefined ? undefined : loadAgainst(options.against, options.publicKey, io);
  const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
  let report: VerificationReport;
  try {
    report = await auditPass(source, io, { json: json_, against, threads: options.threads });
  } catch (error) {
    if (error instanceof InvalidTreeHeadError) return fail(io, json_, error.message);
    throw error;
  } finally {
    await source.close();
  }
  io.stdout.write(json_ ? json(report) : humanReport(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}

function parseThreads(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new CliError(`--threads must be a whole number, not ${text}`);
  return Number(text);
}

function loadAgainst(file: string, publicKeyFile: string | undefined, io: CliIo) {
  const head = readJsonFile(file, 'tree head') as SignedTreeHead;
  return { head, publicKey: verifyKey(publicKeyFile, io.env) };
}

/** A tree head that does not verify is a failed audit, not a usage error. */
function fail(io: CliIo, asJson: boolean, reason: string): number {
  io.stdout.write(asJson ? json({ ok: false, error: reason }) : `verify: FAIL\n  ${reason}\n`);
  return EXIT.failed;
}

function humanReport(report: VerificationReport): string {
  if (!report.ok) return `verify: FAIL: ${describeProblem(report)}`;
  const lines = [
    `verify: PASS: ${report.events} events in ${report.streams} streams, up to position ${report.lastPosition}`,
    `  tree root ${report.rootHash}`,
  ];
  if (report.extends) {
    lines.push(
      `  extends the checkpoint of tree size ${report.extends.treeSize} (root ${report.extends.rootHash})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
