import { z } from 'zod';

/**
 * GET /claims/{id}/claim-review: schema.org ClaimReview JSON-LD. Its TypeScript type is an open
 * record (JSON-LD is open by nature), so no compile-time check can hold it to this schema; every
 * object here is therefore loose (additionalProperties), so the serializer keeps whatever
 * toClaimReview adds, and the documented properties are what it writes today. Beware literals:
 * fast-json-stringify writes a `const` whatever the value holds, so a literal here must be one the
 * export never varies.
 */
const thing = z.looseObject({ '@type': z.string(), name: z.string() });
const organization = z.looseObject({
  '@type': z.literal('Organization'),
  name: z.string(),
  url: z.string().optional(),
});

const appearance = z.looseObject({
  '@type': z.literal('CreativeWork'),
  author: thing.meta({ description: 'the source, or "Unnamed source" when it may not be named' }),
  text: z.string(),
  inLanguage: z.string(),
  url: z.string().optional(),
  publisher: z
    .looseObject({ '@type': z.string(), name: z.string() })
    .optional()
    .meta({ description: 'the outlet that carried it; for a relay, the relayer (a person is a Thing)' }),
  provider: organization.optional().meta({ description: 'for a relay: the outlet that carried the relayer' }),
  datePublished: z.string().optional(),
  creativeWorkStatus: z.literal('Retracted').optional(),
});

export const claimReview = z.looseObject({
  '@context': z.literal('https://schema.org'),
  '@type': z.literal('ClaimReview'),
  identifier: z.string().meta({ description: 'the verdict id' }),
  datePublished: z.string().meta({ format: 'date' }),
  claimReviewed: z.string(),
  inLanguage: z.string(),
  author: organization,
  reviewBody: z.string(),
  reviewRating: z.looseObject({
    '@type': z.literal('Rating'),
    ratingValue: z.number().int().optional(),
    bestRating: z.number().int().optional(),
    worstRating: z.number().int().optional(),
    alternateName: z.string(),
  }),
  itemReviewed: z.looseObject({ '@type': z.literal('Claim'), appearance: z.array(appearance) }),
});
