import {
  BACKSLASH,
  COLON,
  COMMA,
  LEFT_BRACE,
  QUOTE,
  RIGHT_BRACE,
  SPACE,
  SURROGATE_FIRST,
  SURROGATE_LAST,
} from './json-tokens';
import { ContextMembers } from './context-members';

/** Members found by the last `plainContextMembers` (module state: no object per event). */
const found = new ContextMembers();

/**
 * The canonical members of the context the stores write (JSON.stringify of an object of the hashed
 * keys, each a plain string: no escapes, control characters or surrogates, so its token is exactly
 * what canonicalize writes), sorted, without braces: `"correlationId":"c","principal":"p"`.
 * Undefined for anything else — whitespace, another key, a repeated key, another value — which then
 * takes the general reading. A few indexOf calls instead of JSON.parse and JSON.stringify.
 */
export function plainContextMembers(text: string): string | undefined {
  found.reset();
  if (text.charCodeAt(0) !== LEFT_BRACE) return undefined;
  let at = 1;
  if (text.charCodeAt(at) === RIGHT_BRACE) return at === text.length - 1 ? '' : undefined;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return undefined;
    const keyEnd = text.indexOf('"', at + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== COLON || text.charCodeAt(keyEnd + 2) !== QUOTE) {
      return undefined;
    }
    const valueStart = keyEnd + 2;
    const valueEnd = text.indexOf('"', valueStart + 1);
    if (valueEnd < 0 || !isPlain(text, valueStart + 1, valueEnd)) return undefined;
    if (!found.take(text.slice(at + 1, keyEnd), text.slice(valueStart, valueEnd + 1))) return undefined;
    const next = text.charCodeAt(valueEnd + 1);
    if (next === RIGHT_BRACE) {
      if (valueEnd + 2 !== text.length) return undefined;
      break;
    }
    if (next !== COMMA) return undefined;
    at = valueEnd + 2;
  }
  return found.text();
}

/** No backslash (so the closing quote found is the real one), control character or surrogate. */
function isPlain(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code < SPACE || code === BACKSLASH || (code >= SURROGATE_FIRST && code <= SURROGATE_LAST))
      return false;
  }
  return true;
}
