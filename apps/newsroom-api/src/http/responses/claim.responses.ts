import { z } from 'zod';
import {
  ATTRIBUTIONS,
  CLAIM_STATUSES,
  CONFLICT_REASONS,
  STANCES,
  VALUE_KINDS,
  VERDICT_RATINGS,
  type ClaimView,
} from '@app/claims';
import type { ClaimAnswer, ClaimPage, ClaimSummary, ResolvedCut } from '@app/projections';
import { exactly } from './exact';
import {
  claimValue,
  instant,
  position,
  proposition,
  quote,
  statedAt,
  statementBasis,
  via,
} from './values.responses';

/** GET /claims/{id} (with or without a cut) and the summaries of GET /claims. */

const positionView = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  voice: z
    .string()
    .meta({ description: 'the voice the source speaks with (its organization, if affiliated)' }),
  voiceName: z.string(),
  stance: z.enum(STANCES),
  value: claimValue.optional(),
  statementId: z.string(),
  statedAt,
  asOf: statedAt.optional().meta({ description: 'varying claims: the moment the figure describes' }),
  quote,
  via: via.optional(),
  attribution: z.enum(ATTRIBUTIONS),
  basis: statementBasis.optional(),
  relay: z
    .object({
      sourceId: z.string().meta({ description: 'the source whose information it is' }),
      statementIds: z.array(z.string()).meta({ description: 'the statements relayed, nearest first' }),
      retracted: z.boolean().meta({ description: 'a statement on the way was retracted' }),
    })
    .optional()
    .meta({ description: 'where a relay leads; `voice` is then the relayed voice' }),
});

const voiceView = z.object({
  voice: z.string(),
  voiceName: z.string(),
  stance: z.enum(STANCES),
  value: claimValue.optional(),
  statementId: z.string(),
  sourceId: z.string(),
});

const valueGroup = z.object({
  value: claimValue,
  asOf: statedAt.optional().meta({ description: 'varying claims: the moment the figure describes' }),
  voices: z.array(z.string()),
});

const sideVoice = z.object({
  voice: z.string(),
  voiceName: z.string(),
  sourceId: z.string(),
  statementId: z.string(),
  stance: z.enum(STANCES),
});
const conflictSide = z.object({
  stance: z.enum(['affirms', 'denies']),
  value: claimValue.optional(),
  asOf: statedAt.optional(),
  voices: z.array(sideVoice),
});
const conflict = z.object({ a: conflictSide, b: conflictSide, reason: z.enum(CONFLICT_REASONS) });

const verdictView = z.object({
  verdictId: z.string(),
  rating: z.enum(VERDICT_RATINGS),
  rationale: z.string(),
  evidence: z.array(z.string()),
  issuedAt: instant,
  position,
});

/** The fields a claim and its summary share: everything but the positions and the count. */
const claimCore = {
  claimId: z.string(),
  storyId: z.string(),
  proposition,
  valueKind: z.enum(VALUE_KINDS),
  unit: z.string().optional(),
  varies: z
    .literal(true)
    .optional()
    .meta({ description: 'a varying claim: figures describe moments, and conflict only at the same moment' }),
  status: z.enum(CLAIM_STATUSES),
  agreedValue: claimValue.nullable(),
  voices: z.array(voiceView),
  values: z.array(valueGroup),
  latestFigure: valueGroup
    .nullable()
    .optional()
    .meta({ description: 'varying claims: the figure of the latest moment, with its voices' }),
  conflicts: z.array(conflict),
  verdict: verdictView.nullable(),
  mergedInto: z
    .string()
    .nullable()
    .meta({ description: 'the claim this one was merged into: its statements count there now' }),
  merged: z
    .array(z.string())
    .meta({ description: 'claims merged into this one: their statements count here' }),
  statementCounts: z.object({
    total: z.number().int(),
    live: z.number().int(),
    superseded: z.number().int(),
    retracted: z.number().int(),
  }),
  links: z.object({
    statements: z.string().meta({ description: 'the paged history' }),
    timeline: z.string(),
  }),
  streamVersion: z.number().int(),
  position,
  lastRecordedAt: instant,
};

export const claimView = z.object({ ...claimCore, positions: z.array(positionView) });
exactly<typeof claimView, ClaimView>();

export const resolvedCut = z
  .object({ asOf: instant.optional(), asOfPosition: position.optional(), statedBefore: instant.optional() })
  .meta({ description: 'the cut the answer is for: empty for the current state' });
exactly<typeof resolvedCut, ResolvedCut>();

export const claimAnswer = claimView.extend({ cut: resolvedCut });
exactly<typeof claimAnswer, ClaimAnswer>();

export const claimSummary = z.object({ ...claimCore, statementCount: z.number().int() });
exactly<typeof claimSummary, ClaimSummary>();

export const claimPage = z.object({ items: z.array(claimSummary), nextCursor: z.string().nullable() });
exactly<typeof claimPage, ClaimPage>();
