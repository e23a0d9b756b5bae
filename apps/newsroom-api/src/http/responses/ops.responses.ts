import { z } from 'zod';
import type { Problem } from '../problem';
import { exactly } from './exact';
import { position } from './values.responses';

/** What every write answers, the problem details every error is, and GET /health. */

/** API.md, Writes: `{ id, streamVersion, position }` (a replay: the same, with 200). */
export interface WriteAnswer {
  id: string;
  streamVersion: number;
  position: string;
}
export const writeResult = z.object({
  id: z.string().meta({ description: 'the id of the source, claim, statement or verdict written' }),
  streamVersion: z.number().int().meta({ description: "the stream's version after the write (the ETag)" }),
  position,
});
exactly<typeof writeResult, WriteAnswer>();

/** RFC 9457, with a stable `code` and, for validation, the fields at fault. */
export const problem = z.object({
  type: z.string().meta({ format: 'uri' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string().meta({
    description: 'stable and machine-readable, e.g. VALUE_KIND_MISMATCH',
    example: 'VALUE_KIND_MISMATCH',
  }),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: 'for validation problems: each field at fault and what is wrong with it' }),
});
exactly<typeof problem, Problem>();

export interface HealthAnswer {
  status: string;
  head: string;
  projected: string;
  lag: string;
}
export const health = z.object({
  status: z.string().meta({ example: 'ok' }),
  head: position.meta({ description: "the log's last position" }),
  projected: position.meta({ description: 'the read models include the log up to here' }),
  lag: z.string().meta({ description: 'head − projected, decimal' }),
});
exactly<typeof health, HealthAnswer>();

/** POST /admin/master-key/rotation. */
export interface RotationAnswer {
  rewrapped: number;
  masterKeyId: string;
}
export const rotation = z.object({
  rewrapped: z.number().int().meta({ description: 'how many source keys were re-wrapped' }),
  masterKeyId: z.string().meta({ description: 'the id of the master key that now wraps them' }),
});
exactly<typeof rotation, RotationAnswer>();
