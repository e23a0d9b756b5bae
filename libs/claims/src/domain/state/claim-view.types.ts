import type { StatementFields } from '../claim.events';
import type {
  ClaimStatus,
  ClaimValue,
  Proposition,
  StatedAt,
  StatementBasis,
  ValueKind,
  VerdictRating,
} from '../values';
import type { ConflictView } from './claim-sides';
import type { RelayOrigin } from './relay';

/** The claim's view (GET /claims/{id}) and its parts, as claim-view.ts derives them. */

/**
 * A source's position: its statement's current fields and whose voice it is. On a varying claim
 * `asOf` is always there: the moment the figure describes, else when it was said.
 */
export interface PositionView extends StatementFields {
  sourceId: string;
  sourceName: string;
  voice: string;
  voiceName: string;
  statementId: string;
  /** What the statement relays; `voice` is then the relayed voice, `sourceId` the relayer. */
  basis?: StatementBasis;
  /** Where a relay leads: the origin source, the statements on the way, whether one was retracted. */
  relay?: RelayOrigin;
}

export interface VoiceView extends Pick<StatementFields, 'stance' | 'value'> {
  voice: string;
  voiceName: string;
  statementId: string;
  sourceId: string;
}

export interface ValueGroupView {
  value: ClaimValue;
  /** On a varying claim, the moment the figure describes. */
  asOf?: StatedAt;
  /** Voice ids, in voice order. */
  voices: string[];
}

export interface VerdictView {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: string[];
  issuedAt: string;
  position: string;
}

/** `live` includes the superseded; `total` = `live` + `retracted`. */
export interface StatementCounts {
  total: number;
  live: number;
  superseded: number;
  retracted: number;
}

export interface ClaimLinks {
  statements: string;
  timeline: string;
}

export interface ClaimView {
  claimId: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
  /** A varying claim: figures describe moments, and conflict only at the same moment. */
  varies?: true;
  status: ClaimStatus;
  /** DOMAIN.md rule 7: what the voices agree on, when single-source or corroborated; else null. */
  agreedValue: ClaimValue | null;
  /** One per source: its latest live statement. */
  positions: PositionView[];
  /** One per voice: the latest of its sources' positions. */
  voices: VoiceView[];
  values: ValueGroupView[];
  /** Varying claims only: the figure of the latest moment, with the voices behind it. */
  latestFigure?: ValueGroupView | null;
  /** One per pair of incompatible sides, never per pair of voices. */
  conflicts: ConflictView[];
  /** Shown beside the status, never instead of it (DOMAIN.md rule 6). */
  verdict: VerdictView | null;
  /** The claim this one was merged into (decision 0020): its reads then say where it went. */
  mergedInto: string | null;
  /** Claims merged into this one: their statements count here. */
  merged: string[];
  statementCounts: StatementCounts;
  links: ClaimLinks;
  streamVersion: number;
  position: string;
  lastRecordedAt: string;
}

/** A source's position on one line (its own word, or a relay of one basis) as both paths hold it. */
export interface SourcePosition {
  sourceId: string;
  statementId: string;
  reportedPosition: string;
  current: StatementFields;
  basis?: StatementBasis;
  relay?: RelayOrigin;
}
