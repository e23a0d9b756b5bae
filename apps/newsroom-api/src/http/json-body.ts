import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem';

/**
 * The one body parser of the API: `application/json`, strict. Fastify's default accepted bytes
 * that are not UTF-8 (silently replaced by U+FFFD, so the log would hold words nobody sent), lone
 * surrogates and NUL (which PostgreSQL text and jsonb refuse: a 500 after validation), numbers
 * beyond double range (Infinity), and nesting deep enough to overflow the recursive canonical-JSON
 * code that fingerprints idempotent requests. Each is a 400 here, before routing (like malformed
 * JSON, so never stored under an Idempotency-Key: docs/decisions/0017). Other media types, `text/plain` included, are 415.
 */

/** Deeper than any request body of API.md needs (a statement is four levels deep). */
export const MAX_JSON_DEPTH = 32;

/** C0 and C1 control characters except tab, newline and carriage return; DEL; noncharacters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const decoder = new TextDecoder('utf-8', { fatal: true });

const refuse = (code: string, detail: string): ProblemError =>
  Object.assign(new ProblemError(400, code, 'Bad request', detail), { statusCode: 400 });

export function installJsonBodyParser(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** Exported for the unit tests; throws a 400 ProblemError naming what is wrong. */
export function parseJsonBody(bytes: Buffer): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw refuse('INVALID_UTF8', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') throw refuse('EMPTY_BODY', 'the body is empty; send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw refuse('MALFORMED_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  checkJsonValue(value);
  return value;
}

/**
 * A place in the body, kept as its parent and key: the dotted path is spelt only for a refusal,
 * not for every field of every body that passes.
 */
interface Place {
  parent: Place | undefined;
  key: string;
}

function pathOf(place: Place | undefined): string {
  if (place === undefined) return '';
  const parent = pathOf(place.parent);
  return parent === '' ? place.key : `${parent}.${place.key}`;
}

/** Walks the parsed value without recursion (its depth is what is being checked). */
export function checkJsonValue(root: unknown): void {
  const stack: { value: unknown; depth: number; place: Place | undefined }[] = [
    { value: root, depth: 0, place: undefined },
  ];
  const where = (place: Place | undefined) => pathOf(place) || 'body';
  while (stack.length > 0) {
    const { value, depth, place } = stack.pop()!;
    if (typeof value === 'string') {
      const fault = textFault(value);
      if (fault !== undefined) throw refuse('INVALID_TEXT', `${where(place)}: ${fault}`);
    } else if (typeof value === 'number' && !Number.isFinite(value))
      throw refuse('NUMBER_OUT_OF_RANGE', `${where(place)}: the number is too large`);
    else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH)
        throw refuse('JSON_TOO_DEEP', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          stack.push({ value: value[index], depth: depth + 1, place: { parent: place, key: String(index) } });
        }
        continue;
      }
      if (Object.hasOwn(value, '__proto__'))
        throw refuse('FORBIDDEN_FIELD', `${where(place)}: the field name "__proto__" is not allowed`);
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const at: Place = { parent: place, key };
        const fault = textFault(key);
        if (fault !== undefined) throw refuse('INVALID_TEXT', `${pathOf(at)} (field name): ${fault}`);
        stack.push({ value: object[key], depth: depth + 1, place: at });
      }
    }
  }
}

/**
 * Either character class needs a control character, a noncharacter or a surrogate: text without
 * any (nearly all of it) is passed by one scan, the two precise tests run only on the rest.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** What is wrong with a text, if anything (the caller names where it is). */
function textFault(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not a Unicode character)';
  if (CONTROL.test(text)) {
    return 'contains a control character (NUL and other C0/C1 controls are not allowed; tab and newlines are)';
  }
  return undefined;
}

/** The same rule for what arrives in the URL: path parameters and query values. */
export function checkUrlText(text: string, where: string): void {
  const fault = textFault(text);
  if (fault !== undefined) throw refuse('INVALID_TEXT', `${where}: ${fault}`);
}
