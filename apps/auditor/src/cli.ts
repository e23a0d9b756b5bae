import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerCheckpoint } from './commands/checkpoint.command';
import { registerExport } from './commands/export.command';
import { registerImport } from './commands/import.command';
import { registerKeygen } from './commands/keygen.command';
import { registerProof } from './commands/proof.command';
import { registerReplay } from './commands/replay.command';
import { registerVerify } from './commands/verify.command';
import { registerVerifyProof } from './commands/verify-proof.command';
import { type CliIo, CliError, EXIT, OutputClosedError } from './support/cli-io';

export type { CliIo } from './support/cli-io';

/**
 * The auditor CLI as a function: main.ts passes the process, tests pass captured streams. Resolves
 * with the exit status rather than exiting, so nothing here ends the caller's process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let status: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    status = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    return reportError(error, io);
  }
}

function buildProgram(io: CliIo, exit: (code: number) => void): Command {
  const program = new Command('audit')
    .description(
      'Audit the newsroom ledger: verify, checkpoint, prove, replay, export and import the event log',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();
  for (const register of [
    registerVerify,
    registerCheckpoint,
    registerProof,
    registerVerifyProof,
    registerKeygen,
    registerExport,
    registerImport,
    registerReplay,
  ]) {
    register(program, io, exit);
  }
  return program;
}

function reportError(error: unknown, io: CliIo): number {
  // Whoever read our output has all they wanted (`replay | head`): nothing to report.
  if (error instanceof OutputClosedError) return EXIT.ok;
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help / version it was asked for).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`audit: ${error.message}\n`);
    return error.code;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`audit: unexpected error: ${message}\n`);
  return EXIT.usage;
}
