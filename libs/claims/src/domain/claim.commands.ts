import type {
  ClaimAbsorbed,
  ClaimOpened,
  ClaimsMerged,
  ClaimReworded,
  StatementCorrected,
  StatementReported,
  StatementRetracted,
  VerdictIssued,
  VerdictWithdrawn,
} from './claim.events';

/** Commands are imperative and carry everything the decider needs: ids and looked-up facts included. */
export interface OpenClaim {
  type: 'OpenClaim';
  /** `varies: false` is accepted and recorded as absent. */
  data: Omit<ClaimOpened['data'], 'varies'> & { varies?: boolean };
}

export interface RewordClaim {
  type: 'RewordClaim';
  data: ClaimReworded['data'];
}

export interface ReportStatement {
  type: 'ReportStatement';
  data: StatementReported['data'];
  /** Whether `data.sourceId` is a registered source, as the handler found it. */
  sourceRegistered: boolean;
  /** Whether `data.basis.sourceId`, when the basis is a source, is registered, as the handler found it. */
  basisSourceRegistered?: boolean;
  /** When the command reached us (ISO 8601 UTC): nothing can have been said or published after it. */
  receivedAt: string;
}

export interface CorrectStatement {
  type: 'CorrectStatement';
  data: StatementCorrected['data'];
  /** When the command reached us (ISO 8601 UTC), as for a report. */
  receivedAt: string;
}

export interface RetractStatement {
  type: 'RetractStatement';
  data: StatementRetracted['data'];
}

export interface IssueVerdict {
  type: 'IssueVerdict';
  data: VerdictIssued['data'];
}

export interface WithdrawVerdict {
  type: 'WithdrawVerdict';
  data: VerdictWithdrawn['data'];
}

/** The surviving claim, as the handler found it: a merge needs the two to be one proposition's. */
export interface MergeTarget {
  claimId: string;
  storyId: string;
  valueKind: OpenClaim['data']['valueKind'];
  unit?: string;
  varies: boolean;
  /** Set when the surviving claim was itself merged away. */
  mergedInto: string | null;
  /** Its statement ids: one also in the merged claim refuses the merge before anything is closed. */
  statementIds: readonly string[];
}

/** On the merged claim's stream: close it in favour of `intoClaimId` (decision 0020). */
export interface MergeClaim {
  type: 'MergeClaim';
  data: ClaimsMerged['data'];
  /** The surviving claim as loaded; undefined when it was never opened. */
  into: MergeTarget | undefined;
}

/** On the surviving claim's stream, once the merged one is closed: take its statements in. */
export interface AbsorbClaim {
  type: 'AbsorbClaim';
  /** `statements` are the merged claim's, read from its closed stream by the handler. */
  data: ClaimAbsorbed['data'];
}

export type ClaimCommand =
  | OpenClaim
  | RewordClaim
  | ReportStatement
  | CorrectStatement
  | RetractStatement
  | IssueVerdict
  | WithdrawVerdict
  | MergeClaim
  | AbsorbClaim;
