import type { KeyObject } from 'node:crypto';
import { signTreeHead, type SignedTreeHead, type VerificationReport } from '@app/integrity';
import { CliError, EXIT } from './cli-io';
import { describeProblem } from './audit-pass';

/** Signs the head of a log that has just verified; refuses to vouch for one that did not. */
export function signVerifiedHead(
  report: VerificationReport,
  key: KeyObject,
  now: Date = new Date(),
): SignedTreeHead {
  if (!report.ok)
    throw new CliError(`the log does not verify, nothing is signed: ${describeProblem(report)}`, EXIT.failed);
  return signTreeHead(
    {
      treeSize: String(report.events),
      rootHash: report.rootHash,
      timestamp: now.toISOString(),
      lastPosition: report.lastPosition,
    },
    key,
  );
}
