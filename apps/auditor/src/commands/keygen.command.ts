import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateSigningKeyPem } from '@app/integrity';
import { type CliIo, CliError, EXIT } from '../support/cli-io';

interface KeygenOptions {
  out: string;
}

export function registerKeygen(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('keygen')
    .description('create a tree-head signing key: private key to --out (mode 0600), public key PEM to stdout')
    .requiredOption('--out <file>', 'where to write the private key; refuses to overwrite')
    .action((options: KeygenOptions) => exit(keygen(io, options)));
}

function keygen(io: CliIo, options: KeygenOptions): number {
  const { privateKeyPem, publicKeyPem } = generateSigningKeyPem();
  try {
    // 'wx': never overwrite an existing key, which would orphan every head it signed.
    writeFileSync(options.out, privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists' : 'it cannot be written';
    throw new CliError(`not writing the private key to ${options.out}: ${reason}`);
  }
  io.stdout.write(publicKeyPem);
  io.stderr.write(
    `private key written to ${options.out}; use it with NEWSROOM_SIGNING_KEY_FILE=${options.out}\n`,
  );
  return EXIT.ok;
}
