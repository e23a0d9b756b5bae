/** Which moment a claim read answers for (API.md: asOf / asOfPosition, statedBefore). */
export interface ClaimCut {
  /** Recorded time: the state as the log stood at this instant. */
  asOf?: string;
  /** Recorded position: the state as the log stood after this event. */
  asOfPosition?: bigint;
  /** Stated time: only statements said before this instant. */
  statedBefore?: string;
}

/** The cut as answered: the recorded cut resolved to a position. */
export interface ResolvedCut {
  asOf?: string;
  asOfPosition?: string;
  statedBefore?: string;
}

export const isHistorical = (cut: ClaimCut): boolean =>
  cut.asOf !== undefined || cut.asOfPosition !== undefined;
