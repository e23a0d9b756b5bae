import type { SourceKind } from './values';

/** The fields of a source that an amendment may change. */
export interface SourceFields {
  name: string;
  nameLatin?: string;
  kind: SourceKind;
  role?: string;
  /** The organization this person speaks for; their statements count as its voice. */
  affiliationId?: string;
  /**
   * A protected source's identity fields (name, nameLatin, role) are sealed in the log (AES-256-GCM
   * under a key of its own, kept outside the log) and can be shredded: docs/decisions/0016.
   */
  protected: boolean;
}

/** Amendable fields; `null` clears an optional one. */
export interface SourceChanges {
  name?: string;
  nameLatin?: string | null;
  role?: string | null;
  affiliationId?: string | null;
}

export interface SourceRegistered {
  type: 'SourceRegistered';
  data: SourceFields & { sourceId: string };
}

export interface SourceAmended {
  type: 'SourceAmended';
  data: { sourceId: string; changes: SourceChanges; reason: string };
}

/** A protected source's key was destroyed: who did it is in the metadata and here, why, and nothing of who it was. */
export interface SourceIdentityShredded {
  type: 'SourceIdentityShredded';
  data: { sourceId: string; reason: string; shreddedBy: string };
}

export type SourceEvent = SourceRegistered | SourceAmended | SourceIdentityShredded;
export type SourceEventType = SourceEvent['type'];
export const SOURCE_EVENT_TYPES: readonly SourceEventType[] = [
  'SourceRegistered',
  'SourceAmended',
  'SourceIdentityShredded',
];

export const sourceStreamId = (sourceId: string): string => `source-${sourceId}`;
