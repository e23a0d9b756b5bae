/** RFC 9457 problem details, as every error of this API is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** A stable machine-readable code (DomainError codes and a few of the API's own). */
  code: string;
  /** For validation problems: each field at fault and what is wrong with it. */
  errors?: FieldError[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** Problem types are documented under this base, one page per code. */
export const PROBLEM_BASE = 'https://newsroom-ledger.dev/problems/';

export const problemType = (code: string): string => PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-');

/** Thrown by the HTTP layer for failures that are the request's own (bad JSON, bad query, bad id). */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}
