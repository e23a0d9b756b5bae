import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StoredEvent } from '@app/event-store';
import { CliError } from './cli-io';

/**
 * The export format: one event per line, exactly as stored, with the position as a decimal string
 * (JSON numbers lose precision past 2^53). Key order is fixed so two exports of one log are
 * byte-identical.
 */
export function toNdjsonLine(event: StoredEvent): string {
  return `${JSON.stringify({
    position: event.position.toString(),
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  })}\n`;
}

/** Streams the events of an NDJSON export, line by line; blank lines are skipped. */
export async function* readNdjson(file: string): AsyncGenerator<StoredEvent> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      yield parseLine(line, `${file}:${number}`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${file} does not exist`);
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
}

type Fields = Record<string, unknown>;

function parseLine(line: string, where: string): StoredEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new CliError(`${where} is not JSON`);
  }
  const record = value as Fields;
  const metadata = record.metadata as Fields | null | undefined;
  const wellFormed =
    typeof value === 'object' &&
    value !== null &&
    typeof record.position === 'string' &&
    /^[1-9][0-9]*$/.test(record.position) &&
    ['eventId', 'streamId', 'type'].every((key) => typeof record[key] === 'string') &&
    Number.isSafeInteger(record.streamVersion) &&
    Number.isSafeInteger(record.schemaVersion) &&
    'data' in record &&
    typeof metadata === 'object' &&
    metadata !== null &&
    ['recordedAt', 'principal', 'correlationId', 'hash', 'prevHash'].every(
      (key) => typeof metadata[key] === 'string',
    );
  if (!wellFormed) throw new CliError(`${where} is not an exported event`);
  return { ...(value as Omit<StoredEvent, 'position'>), position: BigInt(record.position as string) };
}
