import { z } from 'zod';
import {
  ATTRIBUTIONS,
  DATE_PRECISIONS,
  STANCES,
  STATED_PRECISIONS,
  VIA_KINDS,
  type ClaimValue,
  type Proposition,
  type Quote,
  type StatedAt,
  type StatementBasis,
  type StatementChanges,
  type Via,
} from '@app/claims';
import { exactly } from './exact';

/**
 * The pieces every response shares, as the views hold them (libs/claims values). Response schemas
 * are plain objects (not strict: they describe what the server sends, they validate nothing) and
 * use no refinements: fast-json-stringify needs only the shape.
 */

export const instant = z.string().meta({ format: 'date-time', description: 'ISO 8601 UTC' });
/** Global log positions exceed 2^53 on some stores: decimal strings (API.md). */
export const position = z.string().meta({ pattern: '^\\d+$', description: 'a global log position, decimal' });
export const uuid = z.string().meta({ format: 'uuid' });

export const proposition = z.object({ text: z.string(), language: z.string() });
exactly<typeof proposition, Proposition>();

export const quote = z.object({
  text: z.string().meta({ description: 'verbatim, in the original language' }),
  language: z.string(),
  translatedFrom: z
    .string()
    .optional()
    .meta({ description: "the quote is the channel's translation of words said in this language" }),
  translation: z.object({ text: z.string(), language: z.string() }).optional(),
});
exactly<typeof quote, Quote>();

export const statedAt = z.object({ at: instant, precision: z.enum(STATED_PRECISIONS) });
exactly<typeof statedAt, StatedAt>();

export const via = z.object({
  outlet: z.string(),
  kind: z.enum(VIA_KINDS),
  url: z.string().optional(),
  reportedAt: instant.optional(),
});
exactly<typeof via, Via>();

/** boolean claims carry booleans, quantity claims a quantity, date claims a date, text claims strings. */
export const claimValue = z.union([
  z.boolean(),
  z.object({ exact: z.number() }),
  z.object({ min: z.number(), max: z.number() }),
  z.object({ min: z.number() }).meta({ description: 'at least' }),
  z.object({ max: z.number() }).meta({ description: 'at most' }),
  z.object({ approx: z.number() }),
  z.object({
    date: z.string(),
    precision: z.enum(DATE_PRECISIONS),
    timeZone: z.string().optional().meta({ description: 'an IANA zone or a UTC offset such as +03:00' }),
  }),
  z.string(),
]);
exactly<typeof claimValue, ClaimValue>();

/** What a correction changed; `null` removed an optional field. */
export const statementChanges = z.object({
  stance: z.enum(STANCES).optional(),
  value: claimValue.nullable().optional(),
  quote: quote.optional(),
  statedAt: statedAt.optional(),
  asOf: statedAt.nullable().optional(),
  via: via.nullable().optional(),
  attribution: z.enum(ATTRIBUTIONS).optional(),
});
exactly<typeof statementChanges, StatementChanges>();

/** What a relayed statement rests on: the source relayed, or the statement relayed (of this claim). */
export const statementBasis = z
  .union([z.object({ sourceId: z.string() }), z.object({ statementId: z.string() })])
  .meta({ description: 'a relay counts with the voice it relays (DOMAIN.md rule 3)' });
exactly<typeof statementBasis, StatementBasis>();
