import type { Command } from 'commander';
import { type InclusionProofBundle, verifyInclusionBundle } from '@app/integrity';
import { type CliIo, EXIT, json } from '../support/cli-io';
import { readJsonFile, verifyKey } from '../support/signing-key';

interface VerifyProofOptions {
  publicKey: string;
  json?: boolean;
}

/** Needs no store and no network: a third party runs it with the bundle and the public key. */
export function registerVerifyProof(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('verify-proof')
    .description('check an inclusion proof bundle offline with the log public key')
    .argument('<bundle.json>', 'the bundle printed by `proof`')
    .requiredOption('--public-key <file>', 'the log public key (PEM or base64)')
    .option('--json', 'machine-readable result')
    .action((file: string, options: VerifyProofOptions) => exit(verifyProof(io, file, options)));
}

function verifyProof(io: CliIo, file: string, options: VerifyProofOptions): number {
  const bundle = readJsonFile(file, 'proof bundle') as InclusionProofBundle;
  const result = verifyInclusionBundle(bundle, verifyKey(options.publicKey, io.env));
  if (options.json === true) io.stdout.write(json(result));
  else if (result.ok) {
    const { event, treeHead } = bundle;
    io.stdout.write(
      `verify-proof: PASS: event ${event.eventId} (${event.streamId} version ${event.streamVersion}, position ${event.position}) ` +
        `is leaf ${bundle.leafIndex} of the tree of ${treeHead.treeSize} signed at ${treeHead.timestamp}\n`,
    );
  } else io.stdout.write(`verify-proof: FAIL: ${result.reason}\n`);
  return result.ok ? EXIT.ok : EXIT.failed;
}
