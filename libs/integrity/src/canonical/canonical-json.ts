/**
 * RFC 8785 canonical JSON straight from JSON text, without building the value: the fast path of
 * `verify`, which reads every stored event as text. Whenever it answers, the answer equals
 * `canonicalize(JSON.parse(text))` (the definition event-hash.ts uses; a property test holds the two
 * together). Whatever it cannot vouch for it declines with `undefined` — invalid JSON, non-finite
 * numbers, duplicate keys — and the caller takes the slow path, which then behaves exactly as before.
 *
 * Text that is already canonical (no whitespace, sorted keys, shortest numbers, JSON.stringify's
 * string escapes) comes back as a slice of the input; only what differs is rebuilt.
 */

import {
  canonicalNumber,
  decodeString,
  numberEnd,
  BACKSLASH,
  COLON,
  COMMA,
  CR,
  LEFT_BRACE,
  LEFT_BRACKET,
  LF,
  LOWER_F,
  LOWER_N,
  LOWER_T,
  QUOTE,
  RIGHT_BRACE,
  RIGHT_BRACKET,
  SPACE,
  SURROGATE_FIRST,
  SURROGATE_LAST,
  TAB,
} from './json-tokens';

/** The canonical form of a JSON text, or undefined when only the slow path may answer. */
export function canonicalJsonText(text: string): string | undefined {
  return scanner.reset(text).document();
}

/**
 * Visits the members of a JSON object text in text order, each key decoded and its value as
 * canonical text; false (after visiting some, perhaps) when the text is not one object the fast path
 * answers for, or when `visit` returns false. Repeated keys are visited as they come: JSON.parse
 * keeps the last, so a visitor that cares declines them.
 */
export function visitCanonicalMembers(text: string, visit: (key: string, value: string) => boolean): boolean {
  return scanner.reset(text).topLevelMembers(visit);
}

/** The members as a map; undefined also when a key repeats (the slow path decides those). */
export function canonicalMembers(text: string): Map<string, string> | undefined {
  const members = new Map<string, string>();
  const complete = visitCanonicalMembers(text, (key, value) => {
    if (members.has(key)) return false;
    members.set(key, value);
    return true;
  });
  return complete ? members : undefined;
}

/**
 * One scanner for the process, reset per text (it is synchronous and never re-entered): a pass over
 * a million events allocates no scanner, and object members go on shared stacks, not in objects.
 */
class CanonicalScanner {
  private text = '';
  private pos = 0;
  /** Bumped whenever a canonical text differs from its source slice, so a parent knows to rebuild. */
  private changes = 0;
  // The string token just scanned: [tokenStart, tokenEnd) including the quotes.
  private tokenStart = 0;
  private tokenEnd = 0;
  private tokenPlain = true;
  // Members of the objects being scanned, innermost last: decoded key, key as canonical text, value.
  private readonly keys: string[] = [];
  private readonly keyTexts: string[] = [];
  private readonly values: string[] = [];

  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    this.changes = 0;
    this.keys.length = 0;
    this.keyTexts.length = 0;
    this.values.length = 0;
    return this;
  }

  document(): string | undefined {
    const value = this.value();
    if (value === undefined) return undefined;
    this.skipSpace();
    return this.pos === this.text.length ? value : undefined;
  }

  topLevelMembers(visit: (key: string, value: string) => boolean): boolean {
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== LEFT_BRACE || !this.members()) return false;
    this.skipSpace();
    if (this.pos !== this.text.length) return false;
    for (let i = 0; i < this.keys.length; i += 1) {
      if (!visit(this.keys[i] as string, this.values[i] as string)) return false;
    }
    return true;
  }

  private value(): string | undefined {
    this.skipSpace();
    switch (this.text.charCodeAt(this.pos)) {
      case LEFT_BRACE:
        return this.object();
      case LEFT_BRACKET:
        return this.array();
      case QUOTE:
        return this.string();
      case LOWER_T:
        return this.literal('true');
      case LOWER_F:
        return this.literal('false');
      case LOWER_N:
        return this.literal('null');
      default:
        return this.number();
    }
  }

  private skipSpace(): void {
    const text = this.text;
    const start = this.pos;
    let code = text.charCodeAt(this.pos);
    while (code === SPACE || code === LF || code === CR || code === TAB) code = text.charCodeAt(++this.pos);
    if (this.pos !== start) this.changes += 1;
  }

  private literal(word: string): string | undefined {
    if (!this.text.startsWith(word, this.pos)) return undefined;
    this.pos += word.length;
    return word;
  }

  /**
   * JSON.stringify, which canonicalize uses for strings, writes a plain token back unchanged; a
   * token with escapes or surrogates is decoded and re-encoded by the same two functions.
   */
  private string(): string | undefined {
    if (!this.scanString()) return undefined;
    const token = this.text.slice(this.tokenStart, this.tokenEnd);
    if (this.tokenPlain) return token;
    const decoded = decodeString(token);
    if (decoded === undefined) return undefined;
    const canonical = JSON.stringify(decoded);
    if (canonical !== token) this.changes += 1;
    return canonical;
  }

  private scanString(): boolean {
    const text = this.text;
    const start = this.pos;
    let plain = true;
    let i = start + 1;
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) break;
      // NaN (the end of the text) fails this too: an unterminated string.
      if (!(code >= SPACE)) return false;
      if (code === BACKSLASH) {
        // Validated when decoded; skipping the escaped unit keeps `\"` from ending the token.
        plain = false;
        i += 2;
        continue;
      }
      if (code >= SURROGATE_FIRST && code <= SURROGATE_LAST) plain = false;
      i += 1;
    }
    this.tokenStart = start;
    this.tokenEnd = i + 1;
    this.tokenPlain = plain;
    this.pos = i + 1;
    return true;
  }

  /** canonicalNumber's rule (RFC 8785 3.2.2.3); non-finite values are left to the slow path. */
  private number(): string | undefined {
    const start = this.pos;
    const end = numberEnd(this.text, start);
    if (end < 0) return undefined;
    this.pos = end;
    const token = this.text.slice(start, end);
    const canonical = canonicalNumber(token);
    if (canonical !== undefined && canonical !== token) this.changes += 1;
    return canonical;
  }

  private array(): string | undefined {
    const text = this.text;
    const start = this.pos;
    const changesBefore = this.changes;
    this.pos += 1;
    this.skipSpace();
    if (text.charCodeAt(this.pos) === RIGHT_BRACKET) {
      this.pos += 1;
      return '[]';
    }
    let items = '';
    for (let first = true; ; first = false) {
      const item = this.value();
      if (item === undefined) return undefined;
      items = first ? item : `${items},${item}`;
      this.skipSpace();
      const code = text.charCodeAt(this.pos);
      this.pos += 1;
      if (code === RIGHT_BRACKET) break;
      if (code !== COMMA) return undefined;
    }
    if (this.changes === changesBefore) return text.slice(start, this.pos);
    return `[${items}]`;
  }

  /** canonicalize sorts keys with Array.prototype.sort: by UTF-16 code units, as `<` compares. */
  private object(): string | undefined {
    const start = this.pos;
    const changesBefore = this.changes;
    const base = this.keys.length;
    if (!this.members()) return undefined;
    const end = this.keys.length;
    const keys = this.keys;
    let sorted = true;
    for (let i = base + 1; i < end && sorted; i += 1) sorted = (keys[i - 1] as string) < (keys[i] as string);
    let canonical: string | undefined;
    if (sorted && this.changes === changesBefore) canonical = this.text.slice(start, this.pos);
    else if (sorted || this.sortMembers(base, end)) canonical = this.joinMembers(base, end);
    keys.length = base;
    this.keyTexts.length = base;
    this.values.length = base;
    return canonical;
  }

  /**
   * Insertion sort of the members [base, end): objects are small, and this avoids a comparator
   * call per comparison. False on a repeated key (JSON.parse keeps the last: the slow path decides).
   */
  private sortMembers(base: number, end: number): boolean {
    const { keys, keyTexts, values } = this;
    for (let i = base + 1; i < end; i += 1) {
      const key = keys[i] as string;
      const keyText = keyTexts[i] as string;
      const value = values[i] as string;
      let j = i - 1;
      while (j >= base && (keys[j] as string) > key) {
        keys[j + 1] = keys[j] as string;
        keyTexts[j + 1] = keyTexts[j] as string;
        values[j + 1] = values[j] as string;
        j -= 1;
      }
      if (j >= base && keys[j] === key) return false;
      keys[j + 1] = key;
      keyTexts[j + 1] = keyText;
      values[j + 1] = value;
    }
    this.changes += 1;
    return true;
  }

  private joinMembers(base: number, end: number): string {
    let out = '{';
    for (let i = base; i < end; i += 1) {
      if (i > base) out += ',';
      out += `${this.keyTexts[i] as string}:${this.values[i] as string}`;
    }
    return `${out}}`;
  }

  /** From `{` to past `}`, pushing each member's decoded key, key text and canonical value. */
  private members(): boolean {
    const text = this.text;
    this.pos += 1;
    this.skipSpace();
    if (text.charCodeAt(this.pos) === RIGHT_BRACE) {
      this.pos += 1;
      return true;
    }
    for (;;) {
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== QUOTE || !this.scanString()) return false;
      const token = text.slice(this.tokenStart, this.tokenEnd);
      let key: string | undefined;
      let keyText = token;
      if (this.tokenPlain) {
        key = text.slice(this.tokenStart + 1, this.tokenEnd - 1);
      } else {
        key = decodeString(token);
        if (key === undefined) return false;
        keyText = JSON.stringify(key);
        if (keyText !== token) this.changes += 1;
      }
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== COLON) return false;
      this.pos += 1;
      const value = this.value();
      if (value === undefined) return false;
      this.keys.push(key);
      this.keyTexts.push(keyText);
      this.values.push(value);
      this.skipSpace();
      const code = text.charCodeAt(this.pos);
      this.pos += 1;
      if (code === RIGHT_BRACE) return true;
      if (code !== COMMA) return false;
    }
  }
}

const scanner = new CanonicalScanner();
