import { z } from 'zod';
import { CLAIM_STATUSES, SOURCE_KINDS } from '@app/claims';
import type { SourceAnswer, SourcePage, SourceStatement } from '@app/projections';
import { exactly } from './exact';
import { statementView } from './statement.responses';
import { proposition } from './values.responses';

/** GET /sources, /sources/{id}, /sources/{id}/statements. */

export const source = z.object({
  sourceId: z.string(),
  name: z.string(),
  nameLatin: z.string().optional(),
  kind: z.enum(SOURCE_KINDS),
  role: z.string().optional(),
  affiliationId: z.string().optional(),
  protected: z.boolean(),
  shredded: z
    .literal(true)
    .optional()
    .meta({ description: 'a protected source whose identity key was destroyed: no one can read who it was' }),
  voice: z.string().meta({ description: 'the voice it speaks with: its organization if affiliated' }),
});
exactly<typeof source, SourceAnswer>();

export const sourcePage = z.object({ items: z.array(source), nextCursor: z.string().nullable() });
exactly<typeof sourcePage, SourcePage>();

const sourceStatement = z.object({
  claimId: z.string(),
  proposition,
  claimStatus: z.enum(CLAIM_STATUSES),
  statement: statementView,
});
exactly<typeof sourceStatement, SourceStatement>();

export const sourceStatements = z.object({ items: z.array(sourceStatement) });
exactly<typeof sourceStatements, { items: SourceStatement[] }>();
