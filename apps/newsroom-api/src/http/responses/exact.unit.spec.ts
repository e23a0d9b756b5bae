import { z } from 'zod';
import { exactly } from './exact';

/**
 * The checks are types: `npm run typecheck` (tsc) fails if any `@ts-expect-error` below is not an
 * error, i.e. if `exactly` stopped rejecting a schema that differs from its view type.
 */
describe('exactly (the compile-time schema check)', () => {
  const _schema = z.object({ id: z.string(), note: z.string().optional(), tags: z.array(z.string()) });

  it('accepts a schema that is its view type, and rejects every kind of difference', () => {
    exactly<typeof _schema, { id: string; note?: string; tags: string[] }>();
    // @ts-expect-error a field of the view type missing from the schema (the serializer would drop it)
    exactly<typeof _schema, { id: string; note?: string; tags: string[]; added: number }>();
    // @ts-expect-error an optional field added to the view type is still a field the schema lacks
    exactly<typeof _schema, { id: string; note?: string; tags: string[]; added?: number }>();
    // @ts-expect-error optional in the schema, required in the view type
    exactly<typeof _schema, { id: string; note: string; tags: string[] }>();
    // @ts-expect-error a nested difference
    exactly<typeof _schema, { id: string; note?: string; tags: number[] }>();
    // @ts-expect-error a field the view type does not have
    exactly<typeof _schema, { id: string; tags: string[] }>();
    expect(exactly).toBeInstanceOf(Function);
  });
});
