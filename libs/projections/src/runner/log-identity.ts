import type { LogIdentity } from '@app/event-store';

/**
 * Read models built from `built` may serve `log`: the same log id, and no two different first
 * events (a null first hash is an empty log, or read models built while it was).
 */
export function sameLog(built: LogIdentity, log: LogIdentity): boolean {
  if (built.logId !== log.logId) return false;
  return (
    built.firstEventHash === null ||
    log.firstEventHash === null ||
    built.firstEventHash === log.firstEventHash
  );
}

/** For the warning line: which log, and which first event. */
export function describeLog(identity: LogIdentity | undefined): string {
  if (identity === undefined) return 'an unrecorded log';
  const first = identity.firstEventHash === null ? 'empty' : `first event ${identity.firstEventHash}`;
  return `log ${identity.logId} (${first})`;
}
