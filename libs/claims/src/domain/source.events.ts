import type { SourceKind } from './values';

/** The fields of a source that an amendment may change. */
export interface SourceFields {
  name: string;
  nameLatin?: string;
  kind: SourceKind;
  role?: string;
  /** The organization this person speaks for; their statements count as its voice. */
  affiliationId?: string;
  /** A protected source's identity will be encrypted and shreddable (not yet). */
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

export type SourceEvent = SourceRegistered | SourceAmended;
export type SourceEventType = SourceEvent['type'];
export const SOURCE_EVENT_TYPES: readonly SourceEventType[] = ['SourceRegistered', 'SourceAmended'];

export const sourceStreamId = (sourceId: string): string => `source-${sourceId}`;
