/** Character codes and token rules of JSON text (RFC 8259), for the canonical scanner. */

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const PLUS = 0x2b;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const ONE = 0x31;
export const NINE = 0x39;
export const COLON = 0x3a;
export const UPPER_E = 0x45;
export const LEFT_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RIGHT_BRACKET = 0x5d;
export const LOWER_E = 0x65;
export const LOWER_F = 0x66;
export const LOWER_N = 0x6e;
export const LOWER_T = 0x74;
export const LEFT_BRACE = 0x7b;
export const RIGHT_BRACE = 0x7d;
export const SURROGATE_FIRST = 0xd800;
export const SURROGATE_LAST = 0xdfff;

/** An integer token of up to 15 digits is an exact double that prints back digit for digit. */
const SHORT_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;

/** Index past the JSON number token starting at `start`, or -1 if there is none. */
export function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === MINUS) i += 1;
  let code = text.charCodeAt(i);
  if (code === ZERO) {
    i += 1;
  } else if (code >= ONE && code <= NINE) {
    do code = text.charCodeAt(++i);
    while (code >= ZERO && code <= NINE);
  } else {
    return -1;
  }
  code = text.charCodeAt(i);
  if (code === DOT) {
    i = skipDigits(text, i + 1);
    if (i < 0) return -1;
    code = text.charCodeAt(i);
  }
  if (code === LOWER_E || code === UPPER_E) {
    i += 1;
    code = text.charCodeAt(i);
    if (code === PLUS || code === MINUS) i += 1;
    i = skipDigits(text, i);
  }
  return i;
}

/**
 * A number prints as JSON.stringify(Number(token)), canonicalize's rule; short integers already do.
 * Undefined for non-finite values, where canonicalize throws.
 */
export function canonicalNumber(token: string): string | undefined {
  if (SHORT_INTEGER.test(token) && token !== '-0') return token;
  const value = Number(token);
  return Number.isFinite(value) ? JSON.stringify(value) : undefined;
}

/** Index past a run of at least one digit, or -1. */
function skipDigits(text: string, from: number): number {
  let i = from;
  let code = text.charCodeAt(i);
  if (!(code >= ZERO && code <= NINE)) return -1;
  do code = text.charCodeAt(++i);
  while (code >= ZERO && code <= NINE);
  return i;
}

export function decodeString(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
