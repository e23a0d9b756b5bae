import { type EventStore, openPostgresEventStore, systemClock } from '@app/event-store';

/** EVENT_STORE=postgres, opened as the API opens it; imported lazily by log-source.ts. */
export function openPostgresStore(url: string, schema: string | undefined): Promise<EventStore> {
  return openPostgresEventStore({
    url,
    schema,
    clock: systemClock,
    onIdleError: (error) => process.stderr.write(`audit: PostgreSQL connection failed: ${error.message}\n`),
  });
}
