import { rehashStored } from '../event-hash';
import { recomputeStoredEventHash, type StoredEventText } from '../canonical/stored-event-hash';
import { MerkleAccumulator } from '../merkle/accumulator';
import { checkSignedTreeHead, type SignedTreeHead } from '../tree-head/tree-head';
import { ChainChecks, type LinkRecord } from './chain-checks';
import { located, problemAt } from './problems';
import {
  InvalidTreeHeadError,
  type LogVerifierOptions,
  type VerifiableEvent,
  type VerificationProblem,
  type VerificationReport,
} from './verification';

export * from './verification';
export type { LinkRecord } from './chain-checks';
export { PackedLink } from './packed-link';

/** An event as a store keeps it, text unparsed, with its position and stored hash: verify's fast path. */
export interface VerifiableEventText extends StoredEventText {
  position: bigint;
  hash: string;
}

const HASHED_METADATA_KEYS = new Set([
  'recordedAt',
  'principal',
  'correlationId',
  'causationId',
  'idempotencyKey',
  'hash',
  'prevHash',
]);

/**
 * A streaming auditor of the whole log: every event's hash, every stream's chain, the global order,
 * and the Merkle root, optionally against a tree head published earlier. It holds one tip per stream
 * and the O(log n) Merkle frontier, never the log itself, so it scales to any log length.
 *
 * Events come parsed (`accept`) or as stored text (`acceptText`, the fast path: no JSON.parse, no
 * canonicalize). The text path only vouches for events it can hash exactly as `hashEvent` does;
 * anything else it hands back, and the caller passes the parsed event to `accept`, the definition.
 */
export class LogVerifier {
  private readonly chain: ChainChecks;
  private readonly tree = new MerkleAccumulator();
  private readonly against: { head: SignedTreeHead; treeSize: number } | undefined;
  private problem: VerificationProblem | undefined;
  private extendsHead = false;

  constructor(options: LogVerifierOptions = {}) {
    this.chain = new ChainChecks(options.densePositions ?? true);
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
    this.tree.pushEventHash(event.metadata.hash);
    // In lookahead events are only followed, their hashes unchecked, as the problem is already known.
    const altered = this.chain.inLookahead ? undefined : checkHash(event);
    if (altered !== undefined) this.settle(altered, event.position);
    else
      this.link({
        ...event.metadata,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        position: event.position,
      });
  }

  /**
   * The fast path. False when the text cannot be vouched for (its hash does not recompute from the
   * text alone, or the context carries other keys): nothing was recorded, and the caller must pass
   * the parsed event to `accept`, which finds and names what is wrong exactly as it always has.
   */
  acceptText(event: VerifiableEventText): boolean {
    if (this.problem !== undefined) return true;
    return this.acceptRecomputed(
      event,
      this.chain.inLookahead ? undefined : recomputeStoredEventHash(event, event.hash),
    );
  }

  /**
   * As `acceptText`, with `recomputeStoredEventHash` of the event's stored text computed elsewhere (a
   * worker thread hashing pages ahead): `recomputed` undefined where it declined. Same answer.
   */
  acceptRecomputed(event: LinkRecord, recomputed: string | undefined): boolean {
    if (this.problem !== undefined) return true;
    if (this.chain.inLookahead) this.tree.pushEventHash(event.hash);
    else if (recomputed === event.hash) this.tree.pushComputedEventHash(event.hash);
    else return false;
    this.link(event);
    return true;
  }

  /**
   * As `acceptRecomputed`, for a row whose hash was recomputed and compared elsewhere: `matched` says
   * whether it recomputed to the stored hash, and the hashes come as bytes (`event.bytes`, lowercase
   * hex texts), so nothing is parsed from hex on this thread. Same answer.
   */
  acceptHashed(event: LinkRecord & { bytes: Uint8Array; bytesAt: number }, matched: boolean): boolean {
    if (this.problem !== undefined) return true;
    if (!matched && !this.chain.inLookahead) return false;
    this.tree.pushEventHashBytes(event.bytes, event.bytesAt);
    this.link(event);
    return true;
  }

  /** True while an anomaly waits for later events to classify it (events are then only followed). */
  get inLookahead(): boolean {
    return this.chain.inLookahead;
  }

  /**
   * Whether the next `leaves` events (a power of two) may have their leaves pushed afterwards, whole
   * (`merkle.pushSubtree`) or one by one: nothing settled, no lookahead, the tree's size a multiple
   * of `leaves`, and no tree head to compare with inside the run (that check needs the size).
   */
  canDeferLeaves(leaves: number): boolean {
    if (this.problem !== undefined || this.chain.inLookahead) return false;
    const size = this.tree.size;
    if (size % leaves !== 0) return false;
    const against = this.against;
    return against === undefined || against.treeSize <= size || against.treeSize > size + leaves;
  }

  /**
   * `acceptHashed` of a matched event inside a run that `canDeferLeaves` allowed, without its leaf:
   * the caller pushes the leaves of the run (and must push them up to this event, then go on with
   * `acceptHashed`, once the verifier has settled or gone into lookahead).
   */
  linkDeferred(event: LinkRecord): void {
    const found = this.chain.accept(event);
    if (found !== undefined) this.problem = found;
  }

  finish(): VerificationReport {
    this.problem ??= this.chain.finish() ?? this.truncation();
    const report: VerificationReport = {
      ok: this.problem === undefined,
      events: this.tree.size,
      streams: this.chain.streams,
      lastPosition: this.chain.lastPosition.toString(),
      rootHash: this.tree.root().toString('hex'),
    };
    if (this.problem !== undefined) report.problem = this.problem;
    else if (this.against !== undefined && this.extendsHead) {
      report.extends = { treeSize: this.against.head.treeSize, rootHash: this.against.head.rootHash };
    }
    return report;
  }

  private link(event: LinkRecord): void {
    const lookahead = this.chain.inLookahead;
    const found = this.chain.accept(event);
    if (found !== undefined) this.problem = found;
    else if (!lookahead && !this.chain.inLookahead) this.checkAgainstHead(event.position);
  }

  private settle(problem: VerificationProblem, position: bigint): void {
    this.problem = problem;
    this.chain.skip(position);
  }

  /** At the tree head's size, the root over the leaves so far must be the published one. */
  private checkAgainstHead(position: bigint): void {
    const against = this.against;
    if (against === undefined || this.tree.size !== against.treeSize) return;
    const root = this.tree.root().toString('hex');
    const { head } = against;
    if (root === head.rootHash && position.toString() === head.lastPosition) {
      this.extendsHead = true;
      return;
    }
    const moved = position.toString() !== head.lastPosition;
    this.problem = {
      kind: 'rewritten',
      position: head.lastPosition,
      detail: moved
        ? `the checkpoint's ${head.treeSize}th event was at position ${head.lastPosition}, today it is at ${position}: events at or before it were removed or inserted and the chains re-hashed`
        : `the first ${head.treeSize} events (positions up to ${head.lastPosition}) no longer hash to the checkpoint's root ${head.rootHash}: an event at or before that position was changed and its stream's chain re-hashed to hide it`,
    };
  }

  private truncation(): VerificationProblem | undefined {
    const against = this.against;
    if (against === undefined || this.tree.size >= against.treeSize) return undefined;
    const last = this.chain.lastPosition;
    return {
      kind: 'truncated',
      position: (last + 1n).toString(),
      detail: `the log ends after ${this.tree.size} events (position ${last}) but the checkpoint of ${against.head.timestamp} committed to ${against.head.treeSize} events up to position ${against.head.lastPosition}: the tail was removed`,
    };
  }
}

function checkHash(event: VerifiableEvent): VerificationProblem | undefined {
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
