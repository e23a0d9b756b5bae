/**
 * The vocabulary of DOMAIN.md as plain types. Pure: no Nest, no I/O.
 */

export const VALUE_KINDS = ['boolean', 'quantity', 'date', 'text'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/**
 * `{exact}` is [n,n]; `{min,max}` is [min,max]; `{min}` ("at least a") is [a,∞); `{max}` ("at
 * most b") is [0,b]; `{approx}` is [0.9n, 1.1n].
 */
export type QuantityValue =
  { exact: number } | { min: number; max: number } | { min: number } | { max: number } | { approx: number };

/** Coarsest first: a date at `day` covers the 24 hours of that day in its time zone. */
export const DATE_PRECISIONS = ['year', 'month', 'day', 'hour', 'minute'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
/**
 * `date` is `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh` (or `Thh:00`) or `YYYY-MM-DDThh:mm`,
 * spelling exactly its precision. `timeZone` (an IANA name such as `Asia/Amman`, or a UTC offset
 * such as `+03:00`) says where the wall-clock date was read; without one, the date is a calendar
 * date that is compared as a calendar date.
 */
export interface DateValue {
  date: string;
  precision: DatePrecision;
  timeZone?: string;
}

/** boolean claims carry booleans, quantity claims QuantityValue, date claims DateValue, text claims strings. */
export type ClaimValue = boolean | QuantityValue | DateValue | string;

export const STANCES = ['affirms', 'denies', 'uncertain', 'declined'] as const;
export type Stance = (typeof STANCES)[number];

export const STATED_PRECISIONS = ['minute', 'hour', 'part-of-day', 'day', 'month', 'year'] as const;
export type StatedPrecision = (typeof STATED_PRECISIONS)[number];
/** When the source said it, as precisely as the report allows ("Saturday evening"). */
export interface StatedAt {
  /** ISO 8601 UTC instant. Compared as given, whatever the precision. */
  at: string;
  precision: StatedPrecision;
}

export const VIA_KINDS = [
  'wire',
  'broadcast',
  'print',
  'online',
  'social',
  'statement',
  'press-conference',
  'interview',
  'document',
  'photo',
  'video',
] as const;
export type ViaKind = (typeof VIA_KINDS)[number];
/** The channel through which the statement reached us. */
export interface Via {
  outlet: string;
  kind: ViaKind;
  url?: string;
  /** When the outlet published it (ISO 8601 UTC). */
  reportedAt?: string;
}

export interface Translation {
  text: string;
  language: string;
}
/**
 * Verbatim, in the language we have it in; the translation is ours. `translatedFrom` (a language
 * tag) says the quote is already the channel's translation of words said in that language, when
 * the original is not available (a wire's English of words said in Turkish).
 */
export interface Quote {
  text: string;
  language: string;
  translatedFrom?: string;
  translation?: Translation;
}

/**
 * What a statement says it rests on when the speaker relays someone else's information ("according
 * to information from the Turkish side", "the King told me he denies it"): the source relayed, or
 * the statement relayed (of the same claim). A relayed statement is not a new line of evidence:
 * it counts with the voice it relays (DOMAIN.md rule 3).
 */
export type StatementBasis = { sourceId: string } | { statementId: string };

export const ATTRIBUTIONS = ['on-record', 'anonymous', 'background'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export interface Proposition {
  text: string;
  language: string;
}

export const SOURCE_KINDS = ['person', 'organization', 'outlet', 'group', 'anonymous'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const RETRACTION_REASONS = ['source-withdrew', 'misattributed', 'outlet-corrected', 'other'] as const;
export type RetractionReason = (typeof RETRACTION_REASONS)[number];
/** Whose error a retraction corrects: the source's, the channel's that carried it, or ours. */
export const RETRACTION_FAULTS = ['source', 'channel', 'newsroom'] as const;
export type RetractionFault = (typeof RETRACTION_FAULTS)[number];

export const VERDICT_RATINGS = [
  'true',
  'mostly-true',
  'mixed',
  'mostly-false',
  'false',
  'unverifiable',
] as const;
export type VerdictRating = (typeof VERDICT_RATINGS)[number];

export const CLAIM_STATUSES = [
  'unsourced',
  'retracted',
  'unconfirmed',
  'single-source',
  'corroborated',
  'contested',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Limits a standards desk would set; enforced in the domain so no adapter can bypass them. */
export const LIMITS = {
  quoteChars: 10_000,
  propositionChars: 1_000,
  nameChars: 300,
  reasonChars: 2_000,
  rationaleChars: 10_000,
  textValueChars: 1_000,
  evidenceItems: 100,
} as const;
