import type { LogIdentity, StoredEvent } from '@app/event-store';

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

/**
 * The identity to record with a batch: the log's first event hash once the batch holds it. A
 * first event other than the one the log named at the start of the run means the log was swapped
 * meanwhile: the batch is refused, and the next run rebuilds.
 */
export function identityAfter(log: LogIdentity, events: readonly StoredEvent[]): LogIdentity {
  const first = events[0];
  if (first?.position !== 1n) return log;
  if (log.firstEventHash !== null && log.firstEventHash !== first.metadata.hash) {
    throw new Error(
      `the log changed during the run: ${describeLog(log)} now begins with ${first.metadata.hash}`,
    );
  }
  return { logId: log.logId, firstEventHash: first.metadata.hash };
}
