import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { claimAnswer, claimPage, claimSummary, resolvedCut } from './claim.responses';
import { claimReview } from './claim-review.responses';
import { eventPage, wireEvent } from './event.responses';
import { health, problem, rotation, writeResult } from './ops.responses';
import { source, sourcePage, sourceStatements } from './source.responses';
import { statementPage, statementView, timelineEntry, timelinePage } from './statement.responses';
import { claimValue, proposition, quote, statedAt, statementChanges, via } from './values.responses';

/**
 * The response schemas by the name they have in the OpenAPI document (`components.schemas`). A
 * schema listed here is a named component wherever it occurs; the others are inlined. To add a
 * response: define its zod schema beside its resource (checked with `exactly`), name it here.
 */
export const RESPONSE_COMPONENTS = {
  Claim: claimAnswer,
  ClaimSummary: claimSummary,
  ClaimPage: claimPage,
  Cut: resolvedCut,
  Statement: statementView,
  StatementPage: statementPage,
  StatementChanges: statementChanges,
  TimelineEntry: timelineEntry,
  TimelinePage: timelinePage,
  Source: source,
  SourcePage: sourcePage,
  SourceStatements: sourceStatements,
  Event: wireEvent,
  EventPage: eventPage,
  ClaimReview: claimReview,
  WriteResult: writeResult,
  Problem: problem,
  Health: health,
  MasterKeyRotation: rotation,
  ClaimValue: claimValue,
  Proposition: proposition,
  Quote: quote,
  StatedAt: statedAt,
  Via: via,
} satisfies Record<string, z.ZodType>;

const COMPONENTS_PATH = '#/components/schemas/';
const names = new Map<z.ZodType, string>(Object.entries(RESPONSE_COMPONENTS).map(([n, s]) => [s, n]));

/** `{ $ref }` to a named response schema (the decorators use this for the document). */
export function refTo(schema: z.ZodType): { $ref: string } {
  const name = names.get(schema);
  if (name === undefined) throw new Error('response schema without a name in RESPONSE_COMPONENTS');
  return { $ref: COMPONENTS_PATH + name };
}

/** The document's `components.schemas`, from the same zod schemas, cross-referencing by name. */
export function componentSchemas(): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(RESPONSE_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => COMPONENTS_PATH + id,
  });
  // A component is named by its key; `$id` and `$schema` would only repeat the document's own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $id: _id, $schema: _dialect, ...schema }]) => [
      id,
      schema as SchemaObject,
    ]),
  );
}

/**
 * The same schema for Fastify's serializer (fast-json-stringify): self-contained JSON Schema
 * (draft-07, what Fastify compiles), no references to resolve at route registration. Shaped for
 * speed, describing the same JSON:
 * - "X or null" (`anyOf: [X, {type: null}]`) is X with `nullable: true`, which the serializer writes
 *   directly; other unions (a claim value: boolean, quantity, date or text) are written by
 *   JSON.stringify as they are (`{}`). Either way an `anyOf` would make it validate the value with
 *   Ajv to pick a branch, about 20 times slower than JSON.stringify on a claim.
 * - No `additionalProperties: false`: the serializer drops unlisted properties anyway.
 */
export function serializerSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-7',
    unrepresentable: 'any',
  });
  return forSerializer(json) as Record<string, unknown>;
}

type Node = Record<string, unknown>;
const isNull = (node: unknown) => (node as Node | undefined)?.type === 'null';

function forSerializer(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forSerializer);
  if (node === null || typeof node !== 'object') return node;
  const { anyOf, additionalProperties, ...rest } = node as Node;
  if (Array.isArray(anyOf)) {
    const others = (anyOf as unknown[]).filter((branch) => !isNull(branch));
    const only = others[0] as Node | undefined;
    if (others.length === 1 && only?.type !== undefined) {
      return { ...(forSerializer(only) as Node), ...(others.length < anyOf.length && { nullable: true }) };
    }
    return forSerializer(rest);
  }
  const kept =
    additionalProperties === false || additionalProperties === undefined ? {} : { additionalProperties };
  return Object.fromEntries(
    Object.entries({ ...rest, ...kept }).map(([key, value]) => [key, forSerializer(value)]),
  );
}
