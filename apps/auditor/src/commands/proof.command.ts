import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inclusionProof, type InclusionProofBundle, leafHashOf } from '@app/integrity';
import { type CliIo, CliError, EXIT, json } from '../support/cli-io';
import { auditPass, type LeafEvent } from '../support/audit-pass';
import { auditorConfig, leafRangeOf, openLogSource } from '../support/log-source';
import { signingKey } from '../support/signing-key';
import { signVerifiedHead } from '../support/tree-head-of';

interface ProofOptions {
  out?: string;
  json?: boolean;
}

export function registerProof(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command('proof')
    .description('an inclusion proof of one event in a freshly signed tree head, checkable offline')
    .argument('<eventId>', 'the event to prove')
    .option('--out <file>', 'also write the bundle to this file')
    .option('--json', 'no progress output (the bundle is JSON either way)')
    .action(async (eventId: string, options: ProofOptions) => exit(await proof(io, eventId, options)));
}

async function proof(io: CliIo, eventId: string, options: ProofOptions): Promise<number> {
  const key = signingKey(io.env);
  const source = await openLogSource(auditorConfig(io.env), { mustExist: true });
  try {
    let found: { event: LeafEvent; leafIndex: number } | undefined;
    const report = await auditPass(source, io, {
      json: options.json === true,
      label: 'proof',
      visit: (event, ordinal) => {
        if (event.eventId === eventId) found = { event, leafIndex: ordinal };
      },
    });
    const treeHead = signVerifiedHead(report, key);
    if (found === undefined) throw new CliError(`no event ${eventId} in the log`, EXIT.failed);
    const path = await inclusionProof(leafRangeOf(source), found.leafIndex, report.events);
    const bundle = bundleOf(found.event, found.leafIndex, report.events, path, treeHead);
    if (options.out !== undefined) writeFileSync(options.out, json(bundle));
    io.stdout.write(json(bundle));
    return EXIT.ok;
  } finally {
    await source.close();
  }
}

function bundleOf(
  event: LeafEvent,
  leafIndex: number,
  treeSize: number,
  path: Buffer[],
  treeHead: InclusionProofBundle['treeHead'],
): InclusionProofBundle {
  return {
    version: 1,
    event: {
      eventId: event.eventId,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      position: event.position.toString(),
      hash: event.hash,
    },
    leafIndex,
    treeSize,
    leafHash: leafHashOf(event.hash).toString('hex'),
    proof: path.map((node) => node.toString('hex')),
    treeHead,
  };
}
