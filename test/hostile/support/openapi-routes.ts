import type { TestApp } from '../../support/test-app';

/** A JSON schema as the served OpenAPI document gives it (the subset our zod schemas produce). */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  schema: JsonSchema;
}

/** One operation of the served document: what the fuzzer and the role matrix iterate over. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, e.g. `/claims/{claimId}/statements`. */
  path: string;
  /** `POST /claims/{claimId}/statements`: the key of the tests' tables. */
  key: string;
  pathParams: string[];
  query: Parameter[];
  body?: JsonSchema;
  /** Whether the document says it needs a key (a `security` requirement). */
  secured: boolean;
}

interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

/** Every operation of `/docs/openapi.json`, as served by the app under test. */
export async function routesOf(api: TestApp): Promise<Route[]> {
  const doc = await api.get<{ paths: Record<string, Record<string, Operation>> }>(
    '/docs/openapi.json',
    'nobody',
  );
  if (doc.status !== 200) throw new Error(`GET /docs/openapi.json answered ${doc.status}`);
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.body.paths)) {
    for (const [verb, operation] of Object.entries(operations)) {
      const method = verb.toUpperCase() as Route['method'];
      const parameters = operation.parameters ?? [];
      routes.push({
        method,
        path,
        key: `${method} ${path}`,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        body: operation.requestBody?.content?.['application/json']?.schema,
        secured: (operation.security ?? []).length > 0,
      });
    }
  }
  return routes;
}

/** `/claims/{claimId}` with its parameters filled in, each already URL-encoded by the caller. */
export const fillPath = (path: string, params: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'missing');
