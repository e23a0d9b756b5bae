import { z } from 'zod';
import {
  ATTRIBUTIONS,
  CLAIM_STATUSES,
  DATE_PRECISIONS,
  LIMITS,
  RETRACTION_FAULTS,
  RETRACTION_REASONS,
  SOURCE_KINDS,
  STANCES,
  STATED_PRECISIONS,
  VERDICT_RATINGS,
  VIA_KINDS,
  VALUE_KINDS,
} from '@app/claims';

/**
 * The request bodies of API.md as strict schemas: unknown fields are refused, not ignored, so a
 * typo never silently drops data. Rules that need the claim (does the value fit its kind?) are
 * the domain's; these check shape only.
 */
const id = z.uuid({ message: 'must be a UUID' });
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be blank');
const instant = z.iso.datetime({
  offset: false,
  message: 'must be an ISO 8601 UTC time, e.g. 2017-10-15T09:00:00Z',
});
const language = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as "ar" or "en"');

/**
 * A log position: every store keeps it as a signed 64-bit integer, so a larger number is the
 * client's mistake (400), not a query the store refuses (it was a 500 on SQLite: issue 9).
 */
const MAX_POSITION = 9_223_372_036_854_775_807n;
/** A global log position: decimal digits, at most a signed 64-bit integer (what every store holds). */
export const position = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a decimal position')
  // zod runs a refinement even when the regex failed: BigInt only ever sees digits.
  .refine(
    (s) => !/^\d+$/.test(s) || BigInt(s) <= MAX_POSITION,
    `must be at most ${MAX_POSITION} (a signed 64-bit position)`,
  );

export const quantityValue = z.union([
  z.strictObject({ exact: z.number() }),
  z.strictObject({ min: z.number(), max: z.number() }),
  z.strictObject({ min: z.number() }),
  z.strictObject({ max: z.number() }),
  z.strictObject({ approx: z.number() }),
]);
/** `timeZone`: an IANA name or a UTC offset; the domain checks it against the zone database. */
export const dateValue = z.strictObject({
  date: z.string().max(32),
  precision: z.enum(DATE_PRECISIONS),
  timeZone: z.string().min(1).max(64).optional(),
});
export const claimValue = z.union([
  z.boolean(),
  quantityValue,
  dateValue,
  z.string().max(LIMITS.textValueChars),
]);

const proposition = z.strictObject({ text: text(LIMITS.propositionChars), language });
const quote = z.strictObject({
  text: text(LIMITS.quoteChars),
  language,
  translatedFrom: language.optional(),
  translation: z.strictObject({ text: text(LIMITS.quoteChars), language }).optional(),
});
const statedAt = z.strictObject({ at: instant, precision: z.enum(STATED_PRECISIONS) });
const via = z.strictObject({
  outlet: text(LIMITS.nameChars),
  kind: z.enum(VIA_KINDS),
  url: z.url().max(2048).optional(),
  reportedAt: instant.optional(),
});
const reason = text(LIMITS.reasonChars);

export const registerSourceBody = z.strictObject({
  sourceId: id.optional(),
  name: text(LIMITS.nameChars),
  nameLatin: text(LIMITS.nameChars).optional(),
  kind: z.enum(SOURCE_KINDS),
  role: text(LIMITS.nameChars).optional(),
  affiliationId: id.optional(),
  protected: z.boolean().optional(),
});

export const amendSourceBody = z.strictObject({
  changes: z.strictObject({
    name: text(LIMITS.nameChars).optional(),
    nameLatin: text(LIMITS.nameChars).nullable().optional(),
    role: text(LIMITS.nameChars).nullable().optional(),
    affiliationId: id.nullable().optional(),
  }),
  reason,
});

/** POST /sources/{id}/shredding: why (kept in the log); who is the caller's principal. */
export const shredSourceBody = z.strictObject({ reason });

export const openClaimBody = z.strictObject({
  claimId: id.optional(),
  storyId: text(200),
  proposition,
  valueKind: z.enum(VALUE_KINDS),
  unit: text(100).optional(),
  /** A claim whose true value changes over time: each figure then describes a moment (`asOf`). */
  varies: z.boolean().optional(),
});

export const rewordClaimBody = z.strictObject({ proposition, reason });

/** `POST /claims/{id}/merger`: this claim is the same proposition as `intoClaimId` (decision 0020). */
export const mergeClaimBody = z.strictObject({ intoClaimId: id, reason });

export const reportStatementBody = z.strictObject({
  statementId: id.optional(),
  sourceId: id,
  stance: z.enum(STANCES),
  value: claimValue.optional(),
  /** DOMAIN.md rule 3: the source, or the statement of this claim, that this statement relays. */
  basis: z.union([z.strictObject({ sourceId: id }), z.strictObject({ statementId: id })]).optional(),
  quote,
  statedAt,
  /** Varying claims only: the moment the figure describes (defaults to `statedAt`). */
  asOf: statedAt.optional(),
  via: via.optional(),
  attribution: z.enum(ATTRIBUTIONS),
});

export const correctStatementBody = z.strictObject({
  changes: z.strictObject({
    stance: z.enum(STANCES).optional(),
    value: claimValue.nullable().optional(),
    quote: quote.optional(),
    statedAt: statedAt.optional(),
    asOf: statedAt.nullable().optional(),
    via: via.nullable().optional(),
    attribution: z.enum(ATTRIBUTIONS).optional(),
  }),
  reason,
});

export const retractStatementBody = z.strictObject({
  reason: z.enum(RETRACTION_REASONS),
  faultOf: z.enum(RETRACTION_FAULTS).optional(),
  note: text(LIMITS.reasonChars).optional(),
});

export const issueVerdictBody = z.strictObject({
  verdictId: id.optional(),
  rating: z.enum(VERDICT_RATINGS),
  rationale: text(LIMITS.rationaleChars),
  evidence: z.array(id).max(LIMITS.evidenceItems),
});

export const withdrawVerdictBody = z.strictObject({ reason });

// Query parameters: their `.meta` descriptions are the OpenAPI document's (QueryParamsDoc).
const cursor = (max: number) =>
  z.string().max(max).optional().meta({ description: 'the `nextCursor` of the previous page' });

export const claimReadQuery = z.strictObject({
  asOf: instant.optional().meta({ description: 'recorded time: the claim as the log stood at this instant' }),
  asOfPosition: position
    .optional()
    .meta({ description: 'recorded position: the claim as the log stood after this event' }),
  statedBefore: instant
    .optional()
    .meta({ description: 'stated time: only statements said before this instant' }),
});

export const listClaimsQuery = z.strictObject({
  storyId: z.string().min(1).max(200).optional(),
  status: z.enum(CLAIM_STATUSES).optional(),
  sourceId: id.optional().meta({ description: 'claims with a statement of this source' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursor(200),
});

/** GET /claims/{id}/statements: the paged history; `state` live includes the superseded. */
export const claimStatementsQuery = z
  .strictObject({
    voice: z.string().min(1).max(200).optional().meta({ description: 'statements of this voice' }),
    sourceId: id.optional(),
    stance: z.enum(STANCES).optional(),
    state: z
      .enum(['live', 'superseded', 'retracted'])
      .optional()
      .meta({ description: '`live` includes the superseded' }),
    statedAfter: instant.optional().meta({ description: 'stated at or after this instant' }),
    statedBefore: instant.optional().meta({ description: 'stated before this instant' }),
    cursor: cursor(200),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(
    (q) =>
      q.statedAfter === undefined ||
      q.statedBefore === undefined ||
      Date.parse(q.statedAfter) < Date.parse(q.statedBefore),
    { message: 'statedAfter must be before statedBefore', path: ['statedAfter'] },
  );

/** GET /claims/{id}/timeline: without `limit`, the whole timeline (as before paging). */
export const claimTimelineQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'entries per page; without it, the whole timeline' }),
  cursor: cursor(200),
});

export const listSourcesQuery = z.strictObject({
  q: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'part of the name (Arabic or Latin), normalized as claim texts are' }),
  kind: z.enum(SOURCE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursor(400),
});

export const eventsQuery = z.strictObject({
  after: position
    .default('0')
    .meta({ description: 'the events after this position (the previous page’s `next`)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const idParam = id;
