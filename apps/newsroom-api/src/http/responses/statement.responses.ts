import { z } from 'zod';
import {
  ATTRIBUTIONS,
  CLAIM_EVENT_TYPES,
  CLAIM_STATUSES,
  RETRACTION_FAULTS,
  RETRACTION_REASONS,
  STANCES,
  VERDICT_RATINGS,
  type StatementView,
  type TimelineEntry,
} from '@app/claims';
import type { StatementPage, TimelinePage } from '@app/projections';
import { exactly } from './exact';
import {
  claimValue,
  instant,
  position,
  proposition,
  quote,
  statedAt,
  statementBasis,
  statementChanges,
  via,
} from './values.responses';

/** The paged history of a claim (GET /claims/{id}/statements) and its timeline. */

const statementFields = {
  stance: z.enum(STANCES),
  value: claimValue.optional(),
  quote,
  statedAt,
  asOf: statedAt.optional().meta({ description: 'varying claims: the moment the figure describes' }),
  via: via.optional(),
  attribution: z.enum(ATTRIBUTIONS),
};
const faultOf = z
  .enum(RETRACTION_FAULTS)
  .optional()
  .meta({ description: "whose error a retraction corrects: the source's, the channel's or ours" });

export const statementView = z.object({
  statementId: z.string(),
  sourceId: z.string(),
  basis: statementBasis.optional(),
  ...statementFields,
  reportedPosition: position,
  recordedAt: instant,
  original: z
    .object(statementFields)
    .optional()
    .meta({ description: 'the fields as first reported, when a correction changed them' }),
  corrections: z.array(
    z.object({ position, recordedAt: instant, reason: z.string(), changes: statementChanges }),
  ),
  retraction: z
    .object({
      reason: z.enum(RETRACTION_REASONS),
      faultOf,
      note: z.string().optional(),
      position,
      recordedAt: instant,
    })
    .nullable(),
  live: z.boolean(),
  superseded: z.boolean().meta({ description: 'live, but a later statement of its source is its position' }),
  mergedFrom: z
    .string()
    .optional()
    .meta({ description: 'reported on a claim since merged into this one: that claim' }),
});
exactly<typeof statementView, StatementView>();

export const statementPage = z.object({ items: z.array(statementView), nextCursor: z.string().nullable() });
exactly<typeof statementPage, StatementPage>();

export const timelineEntry = z.object({
  position,
  streamVersion: z.number().int(),
  recordedAt: instant,
  type: z.enum(CLAIM_EVENT_TYPES),
  statementId: z.string().optional(),
  statement: z
    .object({ sourceId: z.string(), basis: statementBasis.optional(), ...statementFields, live: z.boolean() })
    .optional(),
  changes: statementChanges.optional(),
  verdict: z
    .object({
      verdictId: z.string(),
      rating: z.enum(VERDICT_RATINGS),
      rationale: z.string(),
      evidence: z.array(z.string()),
      active: z.boolean(),
    })
    .optional(),
  proposition: proposition.optional(),
  reason: z.string().optional(),
  faultOf,
  note: z.string().optional(),
  intoClaimId: z
    .string()
    .optional()
    .meta({ description: 'ClaimsMerged: the claim this one was merged into' }),
  mergedClaimId: z.string().optional().meta({ description: 'ClaimAbsorbed: the claim merged into this one' }),
  statementIds: z
    .array(z.string())
    .optional()
    .meta({ description: 'ClaimAbsorbed: the statements it brought, with their own ids' }),
  statusAfter: z.enum(CLAIM_STATUSES),
});
exactly<typeof timelineEntry, TimelineEntry>();

/** `{ claimId, entries, nextCursor }`: the controller adds the claim id to the query's page. */
export const timelinePage = z.object({
  claimId: z.string(),
  entries: z.array(timelineEntry),
  nextCursor: z.string().nullable(),
});
exactly<typeof timelinePage, TimelinePage & { claimId: string }>();
