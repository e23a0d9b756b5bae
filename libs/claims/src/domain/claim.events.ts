import type {
  Attribution,
  ClaimValue,
  Proposition,
  Quote,
  RetractionFault,
  StatementBasis,
  RetractionReason,
  Stance,
  StatedAt,
  ValueKind,
  VerdictRating,
  Via,
} from './values';

export interface ClaimOpened {
  type: 'ClaimOpened';
  data: {
    claimId: string;
    storyId: string;
    proposition: Proposition;
    valueKind: ValueKind;
    unit?: string;
    /** A claim whose true value changes over time (a death toll): each figure describes a moment. */
    varies?: true;
  };
}

export interface ClaimReworded {
  type: 'ClaimReworded';
  data: { claimId: string; proposition: Proposition; reason: string };
}

/** The fields of a statement as reported; corrections replace some of them in current state. */
export interface StatementFields {
  stance: Stance;
  /** Present for `affirms`, optional for `denies`, absent for `uncertain` and `declined`. */
  value?: ClaimValue;
  quote: Quote;
  statedAt: StatedAt;
  /** Varying claims only: the moment the figure describes (DOMAIN.md rule 4); else `statedAt`. */
  asOf?: StatedAt;
  via?: Via;
  attribution: Attribution;
}

export interface StatementReported {
  type: 'StatementReported';
  /**
   * `basis` is not among the correctable fields: what a statement rests on decides whose voice it
   * is, so a wrong basis is retracted (`misattributed`, fault of the newsroom) and reported again.
   */
  data: StatementFields & { claimId: string; statementId: string; sourceId: string; basis?: StatementBasis };
}

/**
 * Our own transcription or metadata error. `changes` holds the new values; `null` removes
 * an optional field (`value`, `via`). The original stays in history.
 */
export type StatementChanges = {
  [K in keyof StatementFields]?: undefined extends StatementFields[K]
    ? StatementFields[K] | null
    : StatementFields[K];
};

export interface StatementCorrected {
  type: 'StatementCorrected';
  data: { claimId: string; statementId: string; changes: StatementChanges; reason: string };
}

export interface StatementRetracted {
  type: 'StatementRetracted';
  data: {
    claimId: string;
    statementId: string;
    reason: RetractionReason;
    /** Whose error it was, when known: a `misattributed` retraction may say the channel erred. */
    faultOf?: RetractionFault;
    note?: string;
  };
}

export interface VerdictIssued {
  type: 'VerdictIssued';
  data: { claimId: string; verdictId: string; rating: VerdictRating; rationale: string; evidence: string[] };
}

export interface VerdictWithdrawn {
  type: 'VerdictWithdrawn';
  data: { claimId: string; verdictId: string; reason: string };
}

/**
 * On the merged claim's stream: it is the same proposition as `intoClaimId` (decision 0020). The
 * stream is closed from then on; its history before the merge is unchanged.
 */
export interface ClaimsMerged {
  type: 'ClaimsMerged';
  data: { claimId: string; intoClaimId: string; reason: string };
}

/**
 * On the surviving claim's stream, appended after the merged claim's ClaimsMerged: the merged
 * claim's statements as they stood when it closed, each with its whole history and its own
 * report position, so the surviving claim's fold counts them as if reported on it.
 */
export interface ClaimAbsorbed {
  type: 'ClaimAbsorbed';
  data: { claimId: string; mergedClaimId: string; reason: string; statements: AbsorbedStatement[] };
}

/** A statement of the merged claim, as the merged claim's fold holds it (statement-record.ts). */
export interface AbsorbedStatement {
  statementId: string;
  sourceId: string;
  basis?: StatementBasis;
  original: StatementFields;
  current: StatementFields;
  reportedPosition: string;
  recordedAt: string;
  corrections: { position: string; recordedAt: string; reason: string; changes: StatementChanges }[];
  retraction?: {
    reason: RetractionReason;
    faultOf?: RetractionFault;
    note?: string;
    position: string;
    recordedAt: string;
  };
}

export type ClaimEvent =
  | ClaimOpened
  | ClaimReworded
  | StatementReported
  | StatementCorrected
  | StatementRetracted
  | VerdictIssued
  | VerdictWithdrawn
  | ClaimsMerged
  | ClaimAbsorbed;
export type ClaimEventType = ClaimEvent['type'];
export const CLAIM_EVENT_TYPES: readonly ClaimEventType[] = [
  'ClaimOpened',
  'ClaimReworded',
  'StatementReported',
  'StatementCorrected',
  'StatementRetracted',
  'VerdictIssued',
  'VerdictWithdrawn',
  'ClaimsMerged',
  'ClaimAbsorbed',
];

export const claimStreamId = (claimId: string): string => `claim-${claimId}`;
