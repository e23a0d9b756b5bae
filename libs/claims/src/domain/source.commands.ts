import type { SourceChanges, SourceFields } from './source.events';
import type { SourceKind } from './values';

/**
 * What the handler looked up for the decider, since the decider does no I/O:
 * the kind of the organization named as affiliation, or null when no such source is registered.
 */
export interface AffiliationLookup {
  affiliationId: string;
  kind: SourceKind | null;
  /**
   * The chain above the affiliation, nearest first: its own affiliation, that one's, and so on.
   * The decider refuses an affiliation whose chain leads back to the source (a cycle).
   */
  ancestors?: readonly string[];
}

export interface RegisterSource {
  type: 'RegisterSource';
  data: SourceFields & { sourceId: string };
  affiliation?: AffiliationLookup;
}

export interface AmendSource {
  type: 'AmendSource';
  data: { sourceId: string; changes: SourceChanges; reason: string };
  affiliation?: AffiliationLookup;
}

export interface ShredSourceIdentity {
  type: 'ShredSourceIdentity';
  data: { sourceId: string; reason: string; shreddedBy: string };
}

export type SourceCommand = RegisterSource | AmendSource | ShredSourceIdentity;
