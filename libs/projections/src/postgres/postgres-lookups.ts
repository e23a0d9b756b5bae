import { createHash } from 'node:crypto';
import type { QueryResult, QueryResultRow } from 'pg';

interface Querier {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

const names = new Map<string, string>();

/**
 * The prepared statement's name for a text: a digest (schemas differ in the text), computed once
 * per text rather than per query (a SHA-1 per lookup was measurable in the projector's profile).
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `rm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

type Row = { k1: string; k2?: string; record: string };

/** Per method: the query, its parameters from the lookups' arguments, and each row's key. */
const MANY: Record<string, { text: (s: string) => string; key: (args: unknown[]) => string }> = {
  claim: {
    text: (s) => `SELECT claim_id AS k1, record FROM ${s}.rm_claims WHERE claim_id = ANY($1::text[])`,
    key: (args) => String(args[0]),
  },
  source: {
    text: (s) => `SELECT source_id AS k1, record FROM ${s}.rm_sources WHERE source_id = ANY($1::text[])`,
    key: (args) => String(args[0]),
  },
  statement: {
    text: (s) =>
      `SELECT t.claim_id AS k1, t.statement_id AS k2, t.record FROM ${s}.rm_statements t
       JOIN unnest($1::text[], $2::text[]) AS w(claim_id, statement_id)
         ON t.claim_id = w.claim_id AND t.statement_id = w.statement_id`,
    key: (args) => `${String(args[0])}\u0000${String(args[1])}`,
  },
};

/** See PostgresReadModels.lookupMany. */
export async function lookupMany(
  db: Querier,
  schema: string,
  method: string,
  argsList: readonly unknown[][],
): Promise<unknown[] | undefined> {
  const how = MANY[method];
  if (how === undefined || !argsList.every((args) => args.every((a) => typeof a === 'string'))) {
    return undefined;
  }
  const values =
    method === 'statement'
      ? [argsList.map((a) => a[0]), argsList.map((a) => a[1])]
      : [argsList.map((a) => a[0])];
  const { rows } = await db.query<Row>(how.text(schema), values);
  const found = new Map<string, unknown>();
  for (const row of rows) {
    found.set(row.k2 === undefined ? row.k1 : `${row.k1}\u0000${row.k2}`, JSON.parse(row.record));
  }
  return argsList.map((args) => found.get(how.key(args)));
}
