import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type CliIo, EXIT, json } from '../support/cli-io';
import { auditPass } from '../support/audit-pass';
import { auditorConfig, openLogSource } from '../support/log-source';
import { signingKey } from '../support/signing-key';
import { signVerifiedHead } from '../support/tree-head-of';

interface CheckpointOptions {
  out?: string;
  json?: boolean;
}

export function registerCheckpoint(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('checkpoint')
    .description('verify the log, then print a signed tree head to publish')
    .option('--out <file>', 'also write the signed tree head to this file')
    .option('--json', 'no progress output (the tree head is JSON either way)')
    .action(async (options: CheckpointOptions) => exit(await checkpoint(io, options)));
}

async function checkpoint(io: CliIo, options: CheckpointOptions): Promise<number> {
  // The key first: a missing key should fail in a second, not after an hour of hashing.
  const key = signingKey(io.env);
  const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
  try {
    const report = await auditPass(source, io, { json: options.json === true, label: 'checkpoint' });
    const head = signVerifiedHead(report, key);
    if (options.out !== undefined) writeFileSync(options.out, json(head));
    io.stdout.write(json(head));
    return EXIT.ok;
  } finally {
    await source.close();
  }
}
