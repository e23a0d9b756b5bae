import { ConfigError } from './config-error';

export interface NatsConfig {
  /** NATS_URL: one server or several, comma-separated (nats://host:4222). */
  servers: string[];
  /** NATS_SUBJECT_PREFIX: commands on `<prefix>.commands.<command>`, events on `<prefix>.events.<Type>`. */
  subjectPrefix: string;
  /** NATS_EVENTS_STREAM: the JetStream stream that keeps the published events. */
  eventsStream: string;
}

export function parseNats(env: Record<string, string | undefined>): NatsConfig | undefined {
  const url = env.NATS_URL?.trim();
  if (!url) return undefined;
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const subjectPrefix = env.NATS_SUBJECT_PREFIX || 'newsroom';
  // Subject tokens: no wildcards, spaces or empty tokens; the prefix may have several tokens.
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subjectPrefix))
    throw new ConfigError(
      `NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ or -, not "${subjectPrefix}"`,
    );
  const eventsStream = env.NATS_EVENTS_STREAM || 'NEWSROOM_EVENTS';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(eventsStream))
    throw new ConfigError(`NATS_EVENTS_STREAM must be 1-64 letters, digits, _ or -, not "${eventsStream}"`);
  return { servers, subjectPrefix, eventsStream };
}
