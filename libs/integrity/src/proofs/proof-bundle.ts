import { type KeyObject } from 'node:crypto';
import { hashEvent, type HashableEvent } from '../event-hash';
import { HASH_SIZE, leafHashOf } from '../merkle/hashes';
import { verifyInclusion } from '../merkle/verify';
import { checkSignedTreeHead, type IntegrityCheck, type SignedTreeHead } from '../tree-head/tree-head';

/**
 * Everything needed to check offline that one event is in the log as of a signed tree head: what
 * `proof <eventId>` prints and `verify-proof` checks. It proves the event *hash* is in the log; that
 * the hash belongs to a given event is checked by recomputing it (verifyInclusionBundleForEvent).
 */
export interface InclusionProofBundle {
  version: 1;
  event: { eventId: string; streamId: string; streamVersion: number; position: string; hash: string };
  /** 0-based ordinal of the event in global log order (not its position). */
  leafIndex: number;
  treeSize: number;
  /** Hex leafHashOf(event.hash). */
  leafHash: string;
  /** Hex audit path, deepest sibling first (RFC 9162 2.1.3.1). */
  proof: string[];
  treeHead: SignedTreeHead;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX_32 = /^[0-9a-f]{64}$/;

const OK: IntegrityCheck = { ok: true };
const fail = (reason: string): IntegrityCheck => ({ ok: false, reason });

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return 'bundle has no event';
  if (typeof event['eventId'] !== 'string' || typeof event['streamId'] !== 'string') {
    return 'bundle event ids are malformed';
  }
  if (!isIndex(event['streamVersion'])) return 'bundle event streamVersion is malformed';
  if (typeof event['position'] !== 'string' || !DECIMAL.test(event['position'])) {
    return 'bundle event position is malformed';
  }
  if (typeof event['hash'] !== 'string' || !HEX_32.test(event['hash']))
    return 'bundle event hash is malformed';
  return undefined;
}

/** The JSON shape, checked field by field because bundles arrive as untrusted files. */
function shapeProblem(bundle: unknown): string | undefined {
  if (!isObject(bundle)) return 'bundle is not an object';
  if (bundle['version'] !== 1) return 'unsupported bundle version';
  const problem = eventProblem(bundle['event']);
  if (problem !== undefined) return problem;
  if (!isIndex(bundle['leafIndex']) || !isIndex(bundle['treeSize']))
    return 'bundle leafIndex/treeSize malformed';
  if (typeof bundle['leafHash'] !== 'string' || !HEX_32.test(bundle['leafHash'])) {
    return 'bundle leafHash is malformed';
  }
  const proof = bundle['proof'];
  if (!Array.isArray(proof) || !proof.every((p) => typeof p === 'string' && HEX_32.test(p))) {
    return `bundle proof must be an array of ${HASH_SIZE}-byte hex hashes`;
  }
  return undefined;
}

/** Links between the event, the proof and the tree head that the signature alone does not cover. */
function bindingProblem(bundle: InclusionProofBundle): string | undefined {
  const { event, treeHead } = bundle;
  if (leafHashOf(event.hash).toString('hex') !== bundle.leafHash)
    return 'leafHash is not the event hash leaf';
  if (String(bundle.treeSize) !== treeHead.treeSize) return 'treeSize differs from the tree head';
  if (bundle.leafIndex >= bundle.treeSize) return 'leafIndex is outside the tree';
  // Positions increase along the log (with possible gaps), so no leaf lies beyond the last one.
  if (BigInt(event.position) > BigInt(treeHead.lastPosition)) return 'event position is after the tree head';
  const isLast = bundle.leafIndex === bundle.treeSize - 1;
  if (isLast && event.position !== treeHead.lastPosition)
    return 'last leaf position differs from the tree head';
  return undefined;
}

/** Verifies a bundle offline against the log's public key. */
export function verifyInclusionBundle(
  bundle: InclusionProofBundle,
  publicKey: KeyObject,
): { ok: true } | { ok: false; reason: string } {
  const shape = shapeProblem(bundle);
  if (shape !== undefined) return fail(shape);
  const head = checkSignedTreeHead(bundle.treeHead, publicKey);
  if (!head.ok) return head;
  const binding = bindingProblem(bundle);
  if (binding !== undefined) return fail(binding);
  const proof = bundle.proof.map((hex) => Buffer.from(hex, 'hex'));
  const root = Buffer.from(bundle.treeHead.rootHash, 'hex');
  const leaf = Buffer.from(bundle.leafHash, 'hex');
  return verifyInclusion(leaf, bundle.leafIndex, bundle.treeSize, proof, root)
    ? OK
    : fail('inclusion proof does not lead to the signed root');
}

/**
 * verifyInclusionBundle, plus: the bundle describes `event` (the full event as the auditor got it),
 * whose recomputed hash is the one proven. Without this a bundle's eventId is only a label.
 */
export function verifyInclusionBundleForEvent(
  bundle: InclusionProofBundle,
  publicKey: KeyObject,
  event: HashableEvent,
): { ok: true } | { ok: false; reason: string } {
  const result = verifyInclusionBundle(bundle, publicKey);
  if (!result.ok) return result;
  const described = bundle.event;
  if (described.eventId !== event.eventId || described.streamId !== event.streamId) {
    return fail('bundle is for a different event');
  }
  if (described.streamVersion !== event.streamVersion)
    return fail('bundle is for a different stream version');
  return hashEvent(event) === described.hash ? OK : fail('event does not hash to the proven hash');
}
