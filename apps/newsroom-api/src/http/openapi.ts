import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a body comes from the same zod schema that validates it, so they cannot drift. */
export const jsonSchemaOf = (schema: z.ZodType): SchemaObject =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' }) as SchemaObject;

const problem = { description: 'RFC 9457 problem details', content: { 'application/problem+json': {} } };

export function WriteDoc(body: z.ZodType, summary: string) {
  return applyDecorators(
    ApiSecurity('bearer'),
    ApiBody({ schema: jsonSchemaOf(body), description: summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'replays the first answer for the same body',
    }),
    ApiHeader({ name: 'If-Match', required: false, description: 'the stream version you expect, e.g. "3"' }),
    ApiResponse({ status: 201, description: '{ id, streamVersion, position }, ETag: the stream version' }),
    ApiResponse({ status: 200, description: 'an idempotent replay of the first answer' }),
    ApiResponse({ status: 400, ...problem }),
    ApiResponse({ status: 401, ...problem }),
    ApiResponse({ status: 403, ...problem }),
    ApiResponse({ status: 404, ...problem }),
    ApiResponse({ status: 409, ...problem }),
    ApiResponse({ status: 412, ...problem }),
    ApiResponse({ status: 422, ...problem }),
  );
}

export function ReadDoc() {
  return applyDecorators(
    ApiSecurity('bearer'),
    ApiResponse({ status: 401, ...problem }),
    ApiResponse({ status: 403, ...problem }),
    ApiResponse({ status: 404, ...problem }),
  );
}
