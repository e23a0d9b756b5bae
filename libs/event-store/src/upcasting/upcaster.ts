import type { StoredEvent } from '../port/event-store.port';

/** Turns the data of one schema version into the data of the next (fromVersion -> fromVersion + 1). */
export type UpcastStep = (data: unknown) => unknown;

/** `{ [type]: { [fromVersion]: step } }`. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, UpcastStep>>>>;

/** `{ [type]: current schema version }`: the version handlers and projectors are written against. */
export type CurrentSchemaVersions = Readonly<Record<string, number>>;

export interface UpcastEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** An event written by newer code than this process runs: folding it as an old shape would be wrong. */
export class UnknownSchemaVersionError extends Error {
  override readonly name = 'UnknownSchemaVersionError';
  readonly code = 'UNKNOWN_SCHEMA_VERSION';
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `event type ${type} has schema version ${schemaVersion}, but this code knows up to ${currentVersion}; ` +
        'deploy the newer code before reading these events',
    );
  }
}

/**
 * Brings old events up to the current shape when they are READ (by deciders and projectors).
 * Stored bytes are never rewritten: their hashes must stay verifiable forever.
 */
export class Upcaster {
  constructor(
    private readonly registry: UpcasterRegistry,
    private readonly currentVersions: CurrentSchemaVersions,
  ) {
    assertRegistryConsistent(registry, currentVersions);
  }

  /**
   * Applies the steps from the stored version up to the current one, in order. A type with no
   * current version registered is returned unchanged: readers decide whether to ignore it.
   */
  upcast(stored: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>): UpcastEvent {
    const { type, schemaVersion } = stored;
    const current = this.currentVersions[type];
    if (current === undefined) return { type, schemaVersion, data: stored.data };
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new RangeError(`event type ${type} has an invalid schema version ${String(schemaVersion)}`);
    }
    if (schemaVersion > current) throw new UnknownSchemaVersionError(type, schemaVersion, current);
    let data = stored.data;
    for (let version = schemaVersion; version < current; version++) {
      data = this.step(type, version)(data);
    }
    return { type, schemaVersion: current, data };
  }

  /** The version `upcast` produces for a type, or undefined for a type it does not know. */
  currentVersion(type: string): number | undefined {
    return this.currentVersions[type];
  }

  private step(type: string, fromVersion: number): UpcastStep {
    const step = this.registry[type]?.[fromVersion];
    if (step === undefined) {
      throw new Error(`no upcaster for ${type} from schema version ${fromVersion} to ${fromVersion + 1}`);
    }
    return step;
  }
}

/**
 * Fails at startup, not on the first old event: a step for an unknown type or at/above the current
 * version is a typo or a forgotten version bump.
 */
function assertRegistryConsistent(registry: UpcasterRegistry, currentVersions: CurrentSchemaVersions): void {
  for (const [type, current] of Object.entries(currentVersions)) {
    if (!Number.isSafeInteger(current) || current < 1) {
      throw new RangeError(
        `current schema version of ${type} must be an integer >= 1, got ${String(current)}`,
      );
    }
  }
  for (const [type, steps] of Object.entries(registry)) {
    const current = currentVersions[type];
    if (current === undefined)
      throw new Error(`upcasters registered for ${type}, which has no current version`);
    for (const key of Object.keys(steps)) {
      const from = Number(key);
      if (!Number.isSafeInteger(from) || from < 1 || from >= current) {
        throw new RangeError(`upcaster for ${type} from version ${key} is outside 1..${current - 1}`);
      }
    }
  }
}
