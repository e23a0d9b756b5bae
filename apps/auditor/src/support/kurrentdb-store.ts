import { type EventStore, openKurrentDbEventStore, redactUrl, systemClock } from '@app/event-store';

/**
 * EVENT_STORE=kurrentdb, opened as the API opens it (decision 0006: dense positions through its
 * position log, so the auditor's rules hold); imported lazily by log-source.ts. Verified through
 * readAll and the parsed path: the store decodes its own records.
 */
export async function openKurrentDbStore(url: string, prefix: string | undefined): Promise<EventStore> {
  return openKurrentDbEventStore({
    url,
    clock: systemClock,
    prefix,
    onSubscriptionError: (error) =>
      process.stderr.write(`audit: KurrentDB subscription dropped: ${error.message}\n`),
  });
}

export { redactUrl };
