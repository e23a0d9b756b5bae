/**
 * Expected failures of the domain, each with a stable code. Adapters map codes to
 * transport errors (HTTP problem details in the API); the domain never knows HTTP.
 */
export const DOMAIN_ERROR_CODES = [
  // existence
  'SOURCE_NOT_FOUND',
  'SOURCE_ALREADY_EXISTS',
  'AFFILIATION_NOT_FOUND',
  'AFFILIATION_INVALID',
  'CLAIM_NOT_FOUND',
  'CLAIM_ALREADY_EXISTS',
  'STATEMENT_NOT_FOUND',
  'STATEMENT_ALREADY_EXISTS',
  'VERDICT_NOT_FOUND',
  'VERDICT_ALREADY_EXISTS',
  // state rules
  'STATEMENT_RETRACTED',
  'VERDICT_ALREADY_WITHDRAWN',
  'VERDICT_ALREADY_ACTIVE',
  'NOTHING_CHANGED',
  'SOURCE_NOT_PROTECTED',
  'SOURCE_SHREDDED',
  // merges (decision 0020)
  'CLAIM_MERGED',
  'MERGE_INTO_ITSELF',
  'MERGE_TARGET_MERGED',
  'MERGE_INCOMPATIBLE',
  'MERGE_STATEMENT_CLASH',
  // shape rules a standards editor expects
  'VALUE_REQUIRED',
  'VALUE_NOT_ALLOWED',
  'VALUE_KIND_MISMATCH',
  'VALUE_INVALID',
  'UNIT_NOT_ALLOWED',
  'EVIDENCE_REQUIRED',
  'EVIDENCE_NOT_IN_CLAIM',
  'INVALID_FIELD',
  'TIME_IN_FUTURE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The field at fault, as a JSON pointer-ish path (`value`, `changes.statedAt.at`), when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
