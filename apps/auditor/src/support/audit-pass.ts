import { LogVerifier, type LogVerifierOptions, type VerificationReport } from '@app/integrity';
import type { StoredEvent } from '@app/event-store';
import type { CliIo } from './cli-io';
import { type LogSource, readLog } from './log-source';
import { startProgress } from './progress';

export interface AuditPassOptions {
  json: boolean;
  against?: LogVerifierOptions['against'];
  /** Sees every event read, e.g. to find the one a proof is for. */
  visit?: (event: StoredEvent, ordinal: number) => void;
  label?: string;
}

/**
 * One streaming pass over the whole log through the verifier. Every command that signs or proves
 * something runs it first, so the log never vouches for a history that does not verify.
 */
export async function auditPass(
  source: LogSource,
  io: CliIo,
  options: AuditPassOptions,
): Promise<VerificationReport> {
  const verifier = new LogVerifier({ densePositions: source.densePositions, against: options.against });
  const head = await source.store.headPosition();
  const progress = startProgress(io, options.label ?? 'verify', Number(head), options);
  let ordinal = 0;
  try {
    for await (const event of readLog(source.store)) {
      options.visit?.(event, ordinal);
      verifier.accept(event);
      progress.tick();
      ordinal += 1;
      if (verifier.settled) break;
    }
  } finally {
    progress.stop();
  }
  return verifier.finish();
}

/** How a failed report reads to a person. */
export function describeProblem(report: VerificationReport): string {
  const problem = report.problem;
  if (problem === undefined) return '';
  const where =
    problem.streamId === undefined ? '' : ` (${problem.streamId} version ${problem.streamVersion ?? '?'})`;
  return `${problem.kind} at position ${problem.position}${where}\n  ${problem.detail}\n`;
}
