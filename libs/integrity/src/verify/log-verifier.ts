import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, rehashStored } from '../event-hash';
import { leafHashOf } from '../merkle/hashes';
import { MerkleAccumulator } from '../merkle/accumulator';
import { checkSignedTreeHead, type SignedTreeHead } from '../tree-head/tree-head';

/**
 * A streaming auditor of the whole log: every event's hash, every stream's chain, the global order,
 * and the Merkle root, optionally against a tree head published earlier. It holds one tip per stream
 * and the O(log n) Merkle frontier, never the log itself, so it scales to any log length.
 *
 * The integrity library cannot depend on the event store (the store depends on it), so the event
 * shape is declared structurally here; the store's StoredEvent satisfies it.
 */
export interface VerifiableEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: bigint;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: {
    recordedAt: string;
    principal: string;
    correlationId: string;
    causationId?: string;
    idempotencyKey?: string;
    hash: string;
    prevHash: string;
  };
}

export type ProblemKind = 'altered' | 'missing' | 'reordered' | 'inserted' | 'truncated' | 'rewritten';

export interface VerificationProblem {
  kind: ProblemKind;
  /** Decimal global position of the first bad event (or of the first absent one). */
  position: string;
  /** Absent when the evidence no longer says which stream the position belonged to. */
  streamId?: string;
  streamVersion?: number;
  detail: string;
}

export interface VerificationReport {
  ok: boolean;
  problem?: VerificationProblem;
  /** Events read (the Merkle tree size when the log passed). */
  events: number;
  streams: number;
  lastPosition: string;
  /** Hex Merkle root of all events read: meaningful only when ok. */
  rootHash: string;
  /** Set when an earlier tree head was given and the log extends it. */
  extends?: { treeSize: string; rootHash: string };
}

export interface LogVerifierOptions {
  /** An earlier signed tree head that today's log must extend, and the key it must verify with. */
  against?: { head: SignedTreeHead; publicKey: KeyObject };
  /**
   * The SQLite and in-memory stores never skip a position (a rolled-back append consumes none), so
   * a hole means a deleted row. Stores with sequence gaps (PostgreSQL) must turn this off.
   */
  densePositions?: boolean;
}

/** Thrown before reading anything when the tree head itself cannot be trusted. */
export class InvalidTreeHeadError extends Error {
  override readonly name = 'InvalidTreeHeadError';
}

interface StreamTip {
  version: number;
  hash: string;
  prevHash: string;
  position: bigint;
}

interface Located {
  position: bigint;
  streamId: string;
  streamVersion: number;
}

/**
 * Some anomalies are only classified by what comes later: a version jump is a reordering if the
 * skipped version turns up further on and a deletion otherwise; two events claiming one version are
 * told apart by which of them the next version chains to. Until then the verifier keeps one suspect.
 */
type Suspect =
  | { kind: 'jump'; at: Located; expected: number }
  | { kind: 'fork'; earlier: Located & { hash: string }; later: Located & { hash: string } }
  | { kind: 'gap'; position: bigint };

const HASHED_METADATA_KEYS = new Set([
  'recordedAt',
  'principal',
  'correlationId',
  'causationId',
  'idempotencyKey',
  'hash',
  'prevHash',
]);

const UNKNOWN_STREAM = Symbol('unknown');

export class LogVerifier {
  private readonly tips = new Map<string, StreamTip>();
  private readonly tree = new MerkleAccumulator();
  private readonly dense: boolean;
  private readonly against: { head: SignedTreeHead; treeSize: number } | undefined;
  private lastPosition = 0n;
  private latestRecorded: { recordedAt: string; at: Located } | undefined;
  private suspect: Suspect | undefined;
  private problem: VerificationProblem | undefined;
  private extendsHead = false;

  constructor(options: LogVerifierOptions = {}) {
    this.dense = options.densePositions ?? true;
    if (options.against !== undefined) {
      const { head, publicKey } = options.against;
      const check = checkSignedTreeHead(head, publicKey);
      if (!check.ok) throw new InvalidTreeHeadError(`the tree head cannot be trusted: ${check.reason}`);
      this.against = { head, treeSize: Number(head.treeSize) };
      this.extendsHead = this.against.treeSize === 0;
    }
  }

  /** True once the first problem is known: the caller may stop feeding events. */
  get settled(): boolean {
    return this.problem !== undefined;
  }

  /** The Merkle state so far, for a checkpoint taken in the same pass. */
  get merkle(): MerkleAccumulator {
    return this.tree;
  }

  accept(event: VerifiableEvent): void {
    if (this.problem !== undefined) return;
    this.tree.push(leafHashOf(event.metadata.hash));
    if (this.suspect !== undefined) this.resolveSuspect(event);
    else {
      const found = this.checkEvent(event);
      if (found !== undefined) this.problem = found;
      else if (this.suspect === undefined) this.checkAgainstHead(event);
    }
    this.lastPosition = event.position;
  }

  finish(): VerificationReport {
    if (this.problem === undefined && this.suspect !== undefined)
      this.problem = this.settleAtEnd(this.suspect);
    if (this.problem === undefined) this.problem = this.truncation();
    const report: VerificationReport = {
      ok: this.problem === undefined,
      events: this.tree.size,
      streams: this.tips.size,
      lastPosition: this.lastPosition.toString(),
      rootHash: this.tree.root().toString('hex'),
    };
    if (this.problem !== undefined) report.problem = this.problem;
    else if (this.against !== undefined && this.extendsHead) {
      report.extends = { treeSize: this.against.head.treeSize, rootHash: this.against.head.rootHash };
    }
    return report;
  }

  /** Runs the checks in the order that names the earliest culprit; records a suspect if needed. */
  private checkEvent(event: VerifiableEvent): VerificationProblem | undefined {
    const early = this.checkHash(event) ?? this.checkPosition(event);
    // A hole opens the lookahead that names it; this event already took part in it.
    if (early !== undefined || this.suspect !== undefined) return early;
    return this.checkRecordedAt(event) ?? this.checkChain(event);
  }

  private checkHash(event: VerifiableEvent): VerificationProblem | undefined {
    const extra = Object.keys(event.metadata).filter((key) => !HASHED_METADATA_KEYS.has(key));
    if (extra.length > 0) {
      return problemAt(
        'altered',
        located(event),
        `metadata carries fields the hash does not cover: ${extra.join(', ')}`,
      );
    }
    const recomputed = rehashStored(event);
    if (recomputed === event.metadata.hash) return undefined;
    return problemAt(
      'altered',
      located(event),
      `the content no longer matches its hash (stored ${event.metadata.hash}, recomputed ${recomputed})`,
    );
  }

  private checkPosition(event: VerifiableEvent): VerificationProblem | undefined {
    if (event.position <= this.lastPosition) {
      return problemAt(
        'reordered',
        located(event),
        `position ${event.position} comes after position ${this.lastPosition}: the log is out of order`,
      );
    }
    // A hole: which stream lost the event is told by that stream's next event (a version jump).
    if (this.dense && event.position > this.lastPosition + 1n) {
      this.suspect = { kind: 'gap', position: this.lastPosition + 1n };
      this.resolveSuspect(event);
    }
    return undefined;
  }

  /**
   * recordedAt never decreases along the log, so an event recorded earlier than one before it was
   * moved: the culprit is the first event of the latest time seen, which sits too early.
   */
  private checkRecordedAt(event: VerifiableEvent): VerificationProblem | undefined {
    const latest = this.latestRecorded;
    if (latest === undefined || event.metadata.recordedAt > latest.recordedAt) {
      this.latestRecorded = { recordedAt: event.metadata.recordedAt, at: located(event) };
      return undefined;
    }
    if (event.metadata.recordedAt === latest.recordedAt) return undefined;
    return problemAt(
      'reordered',
      latest.at,
      `recorded at ${latest.recordedAt}, before position ${event.position} which was recorded earlier (${event.metadata.recordedAt}): events were moved`,
    );
  }

  private checkChain(event: VerifiableEvent): VerificationProblem | undefined {
    const tip = this.tips.get(event.streamId);
    const version = tip?.version ?? 0;
    if (event.streamVersion === version + 1) return this.checkLink(event, tip);
    if (event.streamVersion > version + 1) {
      this.suspect = { kind: 'jump', at: located(event), expected: version + 1 };
      return undefined;
    }
    if (
      tip !== undefined &&
      event.streamVersion === tip.version &&
      event.metadata.prevHash === tip.prevHash
    ) {
      this.suspect = {
        kind: 'fork',
        earlier: {
          position: tip.position,
          streamId: event.streamId,
          streamVersion: tip.version,
          hash: tip.hash,
        },
        later: { ...located(event), hash: event.metadata.hash },
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
  private checkLink(event: VerifiableEvent, tip: StreamTip | undefined): VerificationProblem | undefined {
    const expected = tip?.hash ?? GENESIS_HASH;
    if (event.metadata.prevHash === expected) {
      this.advance(event);
      return undefined;
    }
    if (tip === undefined) {
      return problemAt(
        'altered',
        located(event),
        `the first event of ${event.streamId} does not chain to the genesis hash`,
      );
    }
    // The predecessor's hash was recomputed after a change (its own hash checks out, the link does not).
    return problemAt(
      'altered',
      { position: tip.position, streamId: event.streamId, streamVersion: tip.version },
      `changed and re-hashed: the next event of ${event.streamId} (position ${event.position}) chains to ${event.metadata.prevHash}, not to its hash ${tip.hash}`,
    );
  }

  private advance(event: VerifiableEvent): void {
    this.tips.set(event.streamId, {
      version: event.streamVersion,
      hash: event.metadata.hash,
      prevHash: event.metadata.prevHash,
      position: event.position,
    });
  }

  /** Lookahead after an anomaly: only the events that classify it matter; the rest is skipped. */
  private resolveSuspect(event: VerifiableEvent): void {
    const suspect = this.suspect;
    if (suspect === undefined) return;
    switch (suspect.kind) {
      case 'jump':
        if (event.streamId === suspect.at.streamId && event.streamVersion === suspect.expected) {
          this.problem = problemAt(
            'reordered',
            suspect.at,
            `${suspect.at.streamId} version ${suspect.at.streamVersion} comes before version ${suspect.expected}, which appears later at position ${event.position}`,
          );
        }
        return;
      case 'fork':
        if (
          event.streamId === suspect.earlier.streamId &&
          event.streamVersion === suspect.earlier.streamVersion + 1
        ) {
          this.problem = forkProblem(
            suspect,
            event.metadata.prevHash === suspect.earlier.hash ? 'later' : 'earlier',
          );
        }
        return;
      case 'gap':
        this.nameGap(suspect.position, event);
        return;
      default: {
        const _exhaustive: never = suspect;
        return _exhaustive;
      }
    }
  }

  /** Follows every chain until one skips a version: that stream and version lost its event. */
  private nameGap(position: bigint, event: VerifiableEvent): void {
    const tip = this.tips.get(event.streamId);
    const expected = (tip?.version ?? 0) + 1;
    if (event.streamVersion > expected) {
      this.problem = gapProblem(position, { streamId: event.streamId, streamVersion: expected });
    } else if (event.streamVersion === expected) {
      this.advance(event);
    }
  }

  private settleAtEnd(suspect: Suspect): VerificationProblem {
    switch (suspect.kind) {
      case 'jump':
        return problemAt(
          'missing',
          suspect.at,
          `${suspect.at.streamId} jumps to version ${suspect.at.streamVersion}: versions ${suspect.expected}..${suspect.at.streamVersion - 1} are missing`,
        );
      case 'fork':
        // Nothing chains to either: the first point where the log diverges is the earlier one.
        return forkProblem(suspect, 'earlier');
      case 'gap':
        return gapProblem(suspect.position, UNKNOWN_STREAM);
      default: {
        const _exhaustive: never = suspect;
        return _exhaustive;
      }
    }
  }

  /** At the tree head's size, the root over the leaves so far must be the published one. */
  private checkAgainstHead(event: VerifiableEvent): void {
    const against = this.against;
    if (against === undefined || this.tree.size !== against.treeSize) return;
    const root = this.tree.root().toString('hex');
    const { head } = against;
    if (root === head.rootHash && event.position.toString() === head.lastPosition) {
      this.extendsHead = true;
      return;
    }
    const moved = event.position.toString() !== head.lastPosition;
    this.problem = {
      kind: 'rewritten',
      position: head.lastPosition,
      detail: moved
        ? `the checkpoint's ${head.treeSize}th event was at position ${head.lastPosition}, today it is at ${event.position}: events at or before it were removed or inserted and the chains re-hashed`
        : `the first ${head.treeSize} events (positions up to ${head.lastPosition}) no longer hash to the checkpoint's root ${head.rootHash}: an event at or before that position was changed and its stream's chain re-hashed to hide it`,
    };
  }

  private truncation(): VerificationProblem | undefined {
    const against = this.against;
    if (against === undefined || this.tree.size >= against.treeSize) return undefined;
    return {
      kind: 'truncated',
      position: (this.lastPosition + 1n).toString(),
      detail: `the log ends after ${this.tree.size} events (position ${this.lastPosition}) but the checkpoint of ${against.head.timestamp} committed to ${against.head.treeSize} events up to position ${against.head.lastPosition}: the tail was removed`,
    };
  }
}

function located(event: VerifiableEvent): Located {
  return { position: event.position, streamId: event.streamId, streamVersion: event.streamVersion };
}

function problemAt(kind: ProblemKind, at: Located, detail: string): VerificationProblem {
  return {
    kind,
    position: at.position.toString(),
    streamId: at.streamId,
    streamVersion: at.streamVersion,
    detail,
  };
}

function forkProblem(
  suspect: Extract<Suspect, { kind: 'fork' }>,
  forged: 'earlier' | 'later',
): VerificationProblem {
  const bad = suspect[forged];
  const other = forged === 'earlier' ? suspect.later : suspect.earlier;
  return problemAt(
    'inserted',
    bad,
    `a second event claims ${bad.streamId} version ${bad.streamVersion} (the other is at position ${other.position}); the stream's history chains through position ${other.position}`,
  );
}

function gapProblem(
  position: bigint,
  owner: { streamId: string; streamVersion: number } | typeof UNKNOWN_STREAM,
): VerificationProblem {
  if (owner === UNKNOWN_STREAM) {
    return {
      kind: 'missing',
      position: position.toString(),
      detail: `position ${position} is absent: an event was deleted (it was the last of its stream, so no chain names it)`,
    };
  }
  return {
    kind: 'missing',
    position: position.toString(),
    streamId: owner.streamId,
    streamVersion: owner.streamVersion,
    detail: `position ${position} is absent: ${owner.streamId} version ${owner.streamVersion} was deleted`,
  };
}

/** Feeds a whole log through a verifier, stopping at the first settled problem. */
export async function verifyLog(
  events: AsyncIterable<VerifiableEvent> | Iterable<VerifiableEvent>,
  options: LogVerifierOptions = {},
): Promise<VerificationReport> {
  const verifier = new LogVerifier(options);
  for await (const event of events) {
    verifier.accept(event);
    if (verifier.settled) break;
  }
  return verifier.finish();
}
