import { sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { EMPTY_ROOT } from '../merkle/hashes';
import { logIdOf } from './keys';

export {
  loadSigningKey,
  loadVerifyKey,
  publicKeyPem,
  publicKeyBase64,
  publicKeyOf,
  logIdOf,
  generateSigningKeyPem,
} from './keys';

/**
 * A tree head (RFC 9162 4.10 / RFC 6962 3.5, in JSON): the log's commitment to its first `treeSize`
 * events. Numbers that can exceed 2^53 are decimal strings so no JSON parser rounds them.
 */
export interface TreeHead {
  version: 1;
  /** SHA-256 hex of the signing public key's SPKI DER. */
  logId: string;
  /** Decimal. */
  treeSize: string;
  /** Hex MTH of the first treeSize leaves. */
  rootHash: string;
  /** ISO 8601 UTC. */
  timestamp: string;
  /** Decimal global position of the last leaf, '0' if empty: ties the tree to this store's positions. */
  lastPosition: string;
}

export interface SignedTreeHead extends TreeHead {
  algorithm: 'Ed25519';
  /** Base64 Ed25519 signature over treeHeadSigningInput(). */
  signature: string;
}

export type IntegrityCheck = { ok: true } | { ok: false; reason: string };

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX_32 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const SIGNATURE_SIZE = 64;
const EMPTY_ROOT_HEX = EMPTY_ROOT.toString('hex');

const OK: IntegrityCheck = { ok: true };
const fail = (reason: string): IntegrityCheck => ({ ok: false, reason });

/**
 * The bytes that are signed: RFC 8785 canonical JSON of exactly the TreeHead fields, so any
 * implementation can rebuild them, and fields added to the JSON later cannot alter what was signed.
 */
export function treeHeadSigningInput(head: TreeHead): Buffer {
  const text = canonicalize({
    version: head.version,
    logId: head.logId,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    lastPosition: head.lastPosition,
  });
  if (text === undefined) throw new Error('tree head is not canonicalizable JSON');
  return Buffer.from(text, 'utf8');
}

function stringField(value: object, name: string): string | undefined {
  const field: unknown = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

function formatProblem(value: object): string | undefined {
  if ((value as Record<string, unknown>)['version'] !== 1) return 'unsupported tree head version';
  const checks: [string, RegExp][] = [
    ['logId', HEX_32],
    ['treeSize', DECIMAL],
    ['rootHash', HEX_32],
    ['timestamp', ISO_UTC],
    ['lastPosition', DECIMAL],
  ];
  for (const [name, pattern] of checks) {
    const field = stringField(value, name);
    if (field === undefined || !pattern.test(field)) return `malformed tree head field ${name}`;
  }
  return undefined;
}

/** The regex admits 2026-02-30, which Date silently rolls over: a round trip catches it. */
function isRealInstant(timestamp: string): boolean {
  const millis = Date.parse(timestamp);
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 19) === timestamp.slice(0, 19);
}

/** Shape and internal consistency of a tree head; undefined when it is well formed. */
function treeHeadProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'tree head is not an object';
  const problem = formatProblem(value);
  if (problem !== undefined) return problem;
  const head = value as TreeHead;
  if (!isRealInstant(head.timestamp)) return 'tree head timestamp is not a date';
  if (head.treeSize === '0' && (head.rootHash !== EMPTY_ROOT_HEX || head.lastPosition !== '0')) {
    return 'an empty tree head must have the empty root and lastPosition 0';
  }
  return undefined;
}

/** Signs a tree head with the log's Ed25519 key; throws a RangeError on a malformed head. */
export function signTreeHead(
  head: Omit<TreeHead, 'version' | 'logId'>,
  privateKey: KeyObject,
): SignedTreeHead {
  if (privateKey.type !== 'private') throw new TypeError('signing a tree head needs the private key');
  const full: TreeHead = {
    version: 1,
    logId: logIdOf(privateKey),
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    lastPosition: head.lastPosition,
  };
  const problem = treeHeadProblem(full);
  if (problem !== undefined) throw new RangeError(problem);
  const signature = sign(null, treeHeadSigningInput(full), privateKey).toString('base64');
  return { ...full, algorithm: 'Ed25519', signature };
}

function decodeSignature(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value, 'base64');
  // Node's base64 decoder skips junk; a round trip insists on the one canonical encoding.
  return bytes.length === SIGNATURE_SIZE && bytes.toString('base64') === value ? bytes : undefined;
}

/**
 * Verifies a signed tree head, typically parsed from untrusted JSON, with a reason on failure. The
 * logId must be that of `publicKey`: a head signed by another key is rejected even if it verifies.
 */
export function checkSignedTreeHead(sth: unknown, publicKey: KeyObject): IntegrityCheck {
  const problem = treeHeadProblem(sth);
  if (problem !== undefined) return fail(problem);
  const head = sth as SignedTreeHead;
  if (head.algorithm !== 'Ed25519') return fail('unsupported tree head signature algorithm');
  if (head.logId !== logIdOf(publicKey)) return fail('tree head logId is not the given key');
  const signature = decodeSignature(head.signature);
  if (signature === undefined) return fail('tree head signature is not a base64 Ed25519 signature');
  const valid = verify(null, treeHeadSigningInput(head), publicKey, signature);
  return valid ? OK : fail('tree head signature does not verify');
}

export function verifyTreeHead(sth: SignedTreeHead, publicKey: KeyObject): boolean {
  return checkSignedTreeHead(sth, publicKey).ok;
}
