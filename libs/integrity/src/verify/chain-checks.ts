import { GENESIS_HASH } from '../event-hash';
import { forkProblem, gapProblem, located, problemAt, settleAtEnd, type Suspect } from './problems';
import { StreamTips } from './stream-tips';
import type { VerificationProblem } from './verification';

/** What the order and chain checks need of an event whose own hash has already been checked. */
export interface LinkRecord {
  position: bigint;
  streamId: string;
  streamVersion: number;
  recordedAt: string;
  hash: string;
  prevHash: string;
  /**
   * The hash then the previous hash as 64 raw bytes at `bytesAt`, where the caller has them (rows
   * hashed on another thread): exactly the hex texts' values, both lowercase hex. The usual links
   * are then checked and kept without parsing hex; everything rarer reads the texts.
   */
  bytes?: Uint8Array;
  bytesAt?: number;
}

const HASH_BYTES = 32;

function isGenesis(bytes: Uint8Array, at: number): boolean {
  for (let i = 0; i < HASH_BYTES; i += 1) if (bytes[at + i] !== 0) return false;
  return true;
}

/**
 * The checks along the log after each event's own hash: positions, recorded times, stream versions
 * and chain links, and the lookahead that classifies an anomaly. State is one tip per stream
 * (O(streams)) plus one suspect; nothing per event is kept.
 */
export class ChainChecks {
  private readonly tips = new StreamTips();
  private last = 0n;
  // The first event of the latest recorded time seen, as scalars (no object per event).
  private latestRecordedAt: string | undefined;
  private latestPosition = 0n;
  private latestStreamId = '';
  private latestVersion = 0;
  private suspect: Suspect | undefined;
  private resolved: VerificationProblem | undefined;

  constructor(private readonly dense: boolean) {}

  get streams(): number {
    return this.tips.size;
  }

  get lastPosition(): bigint {
    return this.last;
  }

  /** True while an anomaly waits for later events to classify it: events are then only followed. */
  get inLookahead(): boolean {
    return this.suspect !== undefined;
  }

  /** Checks one event (in lookahead: follows it); a problem once one is known. */
  accept(event: LinkRecord): VerificationProblem | undefined {
    const found = this.suspect === undefined ? this.checkEvent(event) : this.resolveSuspect(event);
    this.last = event.position;
    return found;
  }

  /** An event whose own hash failed: it is the last one read, and nothing else about it matters. */
  skip(position: bigint): void {
    this.last = position;
  }

  /** At the end of the log: a suspect still open is settled with what is known. */
  finish(): VerificationProblem | undefined {
    return this.suspect === undefined ? undefined : settleAtEnd(this.suspect);
  }

  /** Runs the checks in the order that names the earliest culprit; records a suspect if needed. */
  private checkEvent(event: LinkRecord): VerificationProblem | undefined {
    const early = this.checkPosition(event);
    // A hole opens the lookahead that names it; this event already took part in it.
    if (early !== undefined || this.suspect !== undefined) return early;
    return this.checkRecordedAt(event) ?? this.checkChain(event);
  }

  private checkPosition(event: LinkRecord): VerificationProblem | undefined {
    if (event.position <= this.last) {
      return problemAt(
        'reordered',
        located(event),
        `position ${event.position} comes after position ${this.last}: the log is out of order`,
      );
    }
    // A hole: which stream lost the event is told by that stream's next event (a version jump).
    if (this.dense && event.position > this.last + 1n) {
      this.suspect = { kind: 'gap', position: this.last + 1n };
      return this.resolveSuspect(event);
    }
    return undefined;
  }

  /**
   * recordedAt never decreases along the log, so an event recorded earlier than one before it was
   * moved: the culprit is the first event of the latest time seen, which sits too early.
   */
  private checkRecordedAt(event: LinkRecord): VerificationProblem | undefined {
    const latest = this.latestRecordedAt;
    if (latest === undefined || event.recordedAt > latest) {
      this.latestRecordedAt = event.recordedAt;
      this.latestPosition = event.position;
      this.latestStreamId = event.streamId;
      this.latestVersion = event.streamVersion;
      return undefined;
    }
    if (event.recordedAt === latest) return undefined;
    return problemAt(
      'reordered',
      { position: this.latestPosition, streamId: this.latestStreamId, streamVersion: this.latestVersion },
      `recorded at ${latest}, before position ${event.position} which was recorded earlier (${event.recordedAt}): events were moved`,
    );
  }

  private checkChain(event: LinkRecord): VerificationProblem | undefined {
    const tips = this.tips;
    const slot = tips.slotOf(event.streamId);
    const version = slot === undefined ? 0 : tips.version(slot);
    if (event.streamVersion === version + 1) return this.checkLink(event, slot);
    if (event.streamVersion > version + 1) {
      this.suspect = { kind: 'jump', at: located(event), expected: version + 1 };
      return undefined;
    }
    if (slot !== undefined && event.streamVersion === version && tips.prevHashIs(slot, event.prevHash)) {
      this.suspect = {
        kind: 'fork',
        earlier: {
          position: tips.position(slot),
          streamId: event.streamId,
          streamVersion: version,
          hash: tips.hash(slot),
        },
        later: { ...located(event), hash: event.hash },
      };
      return undefined;
    }
    return problemAt(
      'inserted',
      located(event),
      `${event.streamId} is already at version ${version}: a second event claims version ${event.streamVersion}`,
    );
  }

  /** The successor by version: it must chain to the tip's hash. */
  private checkLink(event: LinkRecord, slot: number | undefined): VerificationProblem | undefined {
    const tips = this.tips;
    const { bytes, bytesAt = 0 } = event;
    if (bytes !== undefined) {
      if (slot === undefined && isGenesis(bytes, bytesAt + HASH_BYTES)) {
        tips.addBytes(event.streamId, event.streamVersion, bytes, bytesAt, event.position);
        return undefined;
      }
      if (slot !== undefined && tips.hashIsBytes(slot, bytes, bytesAt + HASH_BYTES)) {
        tips.advanceBytes(slot, event.streamVersion, bytes, bytesAt, event.position);
        return undefined;
      }
    }
    if (slot === undefined) {
      if (event.prevHash === GENESIS_HASH) {
        tips.add(event.streamId, event.streamVersion, event.hash, event.prevHash, event.position);
        return undefined;
      }
      return problemAt(
        'altered',
        located(event),
        `the first event of ${event.streamId} does not chain to the genesis hash`,
      );
    }
    if (tips.hashIs(slot, event.prevHash)) {
      tips.advance(slot, event.streamVersion, event.hash, event.position);
      return undefined;
    }
    // The predecessor's hash was recomputed after a change (its own hash checks out, the link does not).
    return problemAt(
      'altered',
      { position: tips.position(slot), streamId: event.streamId, streamVersion: tips.version(slot) },
      `changed and re-hashed: the next event of ${event.streamId} (position ${event.position}) chains to ${event.prevHash}, not to its hash ${tips.hash(slot)}`,
    );
  }

  /** Lookahead after an anomaly: only the events that classify it matter; the rest is skipped. */
  private resolveSuspect(event: LinkRecord): VerificationProblem | undefined {
    const suspect = this.suspect;
    if (suspect === undefined) return undefined;
    switch (suspect.kind) {
      case 'jump':
        if (event.streamId === suspect.at.streamId && event.streamVersion === suspect.expected) {
          return problemAt(
            'reordered',
            suspect.at,
            `${suspect.at.streamId} version ${suspect.at.streamVersion} comes before version ${suspect.expected}, which appears later at position ${event.position}`,
          );
        }
        return undefined;
      case 'fork':
        if (
          event.streamId === suspect.earlier.streamId &&
          event.streamVersion === suspect.earlier.streamVersion + 1
        ) {
          return forkProblem(suspect, event.prevHash === suspect.earlier.hash ? 'later' : 'earlier');
        }
        return undefined;
      case 'gap':
        return this.nameGap(suspect.position, event);
      default: {
        const _exhaustive: never = suspect;
        return _exhaustive;
      }
    }
  }

  /** Follows every chain until one skips a version: that stream and version lost its event. */
  private nameGap(position: bigint, event: LinkRecord): VerificationProblem | undefined {
    const slot = this.tips.slotOf(event.streamId);
    const expected = (slot === undefined ? 0 : this.tips.version(slot)) + 1;
    if (event.streamVersion > expected) {
      return gapProblem(position, { streamId: event.streamId, streamVersion: expected });
    }
    if (event.streamVersion !== expected) return undefined;
    if (slot === undefined) {
      this.tips.add(event.streamId, event.streamVersion, event.hash, event.prevHash, event.position);
    } else {
      this.tips.set(slot, event.streamVersion, event.hash, event.prevHash, event.position);
    }
    return undefined;
  }
}
