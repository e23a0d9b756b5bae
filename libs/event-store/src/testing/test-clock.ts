import type { Clock } from '../port/event-store.port';

/** A clock that only moves when told to, so tests can pin `recordedAt` and make it go backwards. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2017-10-15T09:00:00.000Z') {
    this.current = toMillis(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | Date): void {
    this.current = toMillis(instant);
  }

  /** Moves by `ms` (negative goes back in time). */
  advance(ms: number): void {
    this.current += ms;
  }
}

function toMillis(instant: string | Date): number {
  const millis = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(millis)) throw new RangeError(`TestClock: invalid instant ${String(instant)}`);
  return millis;
}
