import type { KeyObject } from 'node:crypto';
import type { SignedTreeHead } from '../tree-head/tree-head';

/**
 * The event shape the verifier reads. The integrity library cannot depend on the event store (the
 * store depends on it), so it is declared structurally here; the store's StoredEvent satisfies it.
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
