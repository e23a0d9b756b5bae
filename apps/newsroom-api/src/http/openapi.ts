import { applyDecorators } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { HeaderObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { refTo, serializerSchemaOf } from './responses/registry';
import { problem, writeResult } from './responses/ops.responses';

/**
 * One decorator per route describes its answers twice from the same zod schemas: to the OpenAPI
 * document (`@ApiResponse`, by `$ref` to `components.schemas`) and to Fastify as the route's
 * response schemas, which fast-json-stringify serializes with. The document cannot promise a field
 * the server does not send; the schemas are checked against the view types at compile time
 * (responses/exact.ts) so the serializer cannot drop one either (docs/decisions/0013).
 */

/**
 * The OpenAPI schema of a request body or query comes from the zod schema that validates it. The
 * document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12: zod's own output, `null` included
 * (3.0's `nullable` cannot say "a value or null" of a union).
 */
export const jsonSchemaOf = (schema: z.ZodType): SchemaObject => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { unrepresentable: 'any' });
  return json as SchemaObject;
};

const text = { type: 'string' } as const;
export const HEADERS = {
  etag: {
    description:
      'The stream version in quotes, e.g. `"3"` (what `If-Match` takes); a claim read adds a digest of the view, e.g. `"3.5f0c9e1b2a7d4c68"` (also taken by `If-Match`, which checks the version), a cut read a weak tag naming its cut',
    schema: text,
  },
  replayed: {
    description: '`true` when this is the stored answer of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  lagging: {
    description:
      '`true` when the write is committed but the read models had not caught up in time: reads may not show it yet',
    schema: { type: 'string', enum: ['true'] },
  },
  link: { description: 'RFC 8288: `<…>; rel="next"`, the next page (with `limit`)', schema: text },
  nextCursor: { description: 'the cursor of the next page (with `limit`)', schema: text },
} satisfies Record<string, HeaderObject>;

/** What each status means on this API, for the problem answers a route lists. */
const PROBLEMS: Record<number, string> = {
  400: 'Malformed: invalid JSON, a body or query that fails validation (`errors` lists the fields)',
  401: 'No API key, or an unknown one',
  403: "The key's role may not do this",
  404: 'An unknown id in the path',
  409: 'Conflict: the id exists already, the statement is retracted, a lost race (retry), or the same Idempotency-Key is in flight',
  412: '`If-Match` names a version the stream is not at: nothing was appended',
  413: 'The body is larger than 256 KiB',
  415: 'The body is not `application/json`',
  422: 'Well-formed but not acceptable: a value that does not fit the claim, an unknown source or statement named in the body, or an Idempotency-Key reused with another request',
  500: 'The server failed; nothing was recorded unless a success was answered',
  503: 'Not available here: protected sources need a master key (PROTECTION_NOT_CONFIGURED)',
};

export interface Answer {
  status: number;
  description: string;
  /** A JSON body, serialized through this schema. */
  schema?: z.ZodType;
  /** The body's media type when it is not `application/json` (and not serialized through a schema). */
  content?: Record<string, { schema: SchemaObject }>;
  headers?: Record<string, HeaderObject>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  /** `false` for the public routes (health, metrics). */
  secured?: boolean;
  /** The body's media type, when a schema'd body is not `application/json` (ClaimReview). */
  mediaType?: string;
}

/** The route's operation, its answers and the problem statuses it may answer with. */
export function Responds(operation: Operation, answers: Answer[], problems: number[]) {
  const { secured = true, mediaType = 'application/json', ...op } = operation;
  const problemStatuses = [...new Set([...problems, 500])].sort();
  const serialized = Object.fromEntries(
    answers.filter((a) => a.schema !== undefined).map((a) => [a.status, serializerSchemaOf(a.schema!)]),
  );
  return applyDecorators(
    ApiOperation({ ...op, ...(secured ? {} : { security: [] }) }),
    ...(secured ? [ApiSecurity('bearer')] : []),
    ...answers.map(({ status, description, schema, content, headers }) =>
      ApiResponse({
        status,
        description,
        ...(headers ? { headers } : {}),
        ...(schema ? { content: { [mediaType]: { schema: refTo(schema) } } } : content ? { content } : {}),
      }),
    ),
    ...problemStatuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEMS[status] ?? 'Problem details',
        content: { 'application/problem+json': { schema: refTo(problem) } },
      }),
    ),
    // Every error of a route is problem details (the filter and stored idempotent answers).
    RouteSchema({
      response: { ...serialized, '4xx': serializerSchemaOf(problem), '5xx': serializerSchemaOf(problem) },
    }),
  );
}

/** A command: its body from the zod schema that validates it, 201 / replayed 200, its problems. */
export function WriteDoc(
  body: z.ZodType,
  {
    creates = false,
    problems = [],
    ...operation
  }: Omit<Operation, 'secured' | 'mediaType'> & {
    /** A POST to a collection (register a source, open a claim): no id in the path to be unknown. */
    creates?: boolean;
    /** Statuses this command adds to every write's (e.g. 503 where protection is not configured). */
    problems?: number[];
  },
) {
  const written = { ...HEADERS.etag, description: 'the stream version after the write, e.g. `"3"`' };
  return applyDecorators(
    ApiBody({ schema: jsonSchemaOf(body), description: operation.summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Scoped to your API key: a retry with the same request returns the first answer (success or client error) and appends nothing; the same key with another request is 422, while the first is in flight 409',
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The stream version you expect, e.g. `"3"`: a stale one is 412 and appends nothing',
      schema: { type: 'string', pattern: '^(W/)?"\\d+"$' },
    }),
    CorrelationHeader(),
    Responds(
      operation,
      [
        {
          status: 201,
          description: 'Written: the id, the stream version and the global position',
          schema: writeResult,
          headers: { ETag: written, 'X-Read-Models-Lagging': HEADERS.lagging },
        },
        {
          status: 200,
          description: 'The replayed answer of an earlier request with the same Idempotency-Key',
          schema: writeResult,
          headers: { ETag: written, 'Idempotent-Replayed': HEADERS.replayed },
        },
      ],
      [400, 401, 403, ...(creates ? [] : [404]), 409, 412, 413, 415, 422, ...problems],
    ),
  );
}

/** A read: 200 with its schema, the problems of every read, and those the route adds. */
export function ReadDoc(
  operation: Omit<Operation, 'secured'>,
  ok: Omit<Answer, 'status'>,
  more: { answers?: Answer[]; problems?: number[] } = {},
) {
  return applyDecorators(
    CorrelationHeader(),
    Responds(
      operation,
      [{ status: 200, ...ok }, ...(more.answers ?? [])],
      [401, 403, ...(more.problems ?? [])],
    ),
  );
}

const CorrelationHeader = () =>
  ApiHeader({
    name: 'X-Correlation-Id',
    required: false,
    description: "Your request's id: kept in the logs and in the metadata of the events it appends",
  });

/**
 * Documents each query parameter from the zod schema that validates it (enums, integer bounds,
 * formats, defaults), so they cannot drift. Every parameter is optional (those with a default too).
 */
export function QueryParamsDoc(schema: z.ZodType) {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, SchemaObject> };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) =>
      ApiQuery({ name, required: false, schema: property, ...(description ? { description } : {}) }),
    ),
  );
}
