import type {
  ClaimOpened,
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

export type ClaimCommand =
  | OpenClaim
  | RewordClaim
  | ReportStatement
  | CorrectStatement
  | RetractStatement
  | IssueVerdict
  | WithdrawVerdict;
