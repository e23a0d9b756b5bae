import { BACKSLASH, LEFT_BRACE, LEFT_BRACKET, QUOTE, RIGHT_BRACE, RIGHT_BRACKET } from './json-tokens';

/**
 * True when `text` opens with `{` or `[` and the brackets outside string tokens first close at its
 * last character: the shape of one JSON object or array with nothing before or after it. It does
 * not validate JSON; it is the guard that lets verify hash a stored data column as it is (decision
 * 0021). When the hash over the composed text matches, that text is the canonical text the store
 * hashed, whose data member C is one container; a column split elsewhere is either a proper prefix
 * of C (which ends inside C, its brackets still open) or C plus text after it (brackets closed
 * before the end), and this check refuses both. Scalars are refused too: they take the scan.
 */
export function isOneJsonContainer(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first !== LEFT_BRACE && first !== LEFT_BRACKET) return false;
  const last = text.length - 1;
  let depth = 0;
  for (let i = 0; i <= last; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (code === LEFT_BRACE || code === LEFT_BRACKET) {
      depth += 1;
    } else if (code === RIGHT_BRACE || code === RIGHT_BRACKET) {
      depth -= 1;
      if (depth === 0) return i === last;
    }
  }
  return false;
}

/**
 * The index of the quote that ends the string token opened at `open`: the first quote not escaped,
 * that is, not preceded by an odd run of backslashes (the run stops at the opening quote at worst).
 * -1 when the text ends first.
 */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}
