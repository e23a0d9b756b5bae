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

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LEFT_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RIGHT_BRACKET = 0x5d;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;

/** Integers of up to 15 digits are exact doubles that print back digit for digit. */
const EXACT_INTEGER_DIGITS = 15;

/** The canonical form of a JSON text, or undefined when only the slow path may answer. */
export function canonicalJsonText(text: string): string | undefined {
  return new CanonicalScanner(text).document();
}

/**
 * The members of a JSON object text, each with its key and the canonical text of its value, in text
 * order; undefined when the text is not one object, or when a key repeats (JSON.parse would keep
 * the last one: the slow path decides).
 */
export function canonicalMembers(text: string): Map<string, string> | undefined {
  return new CanonicalScanner(text).topLevelMembers();
}

interface Member {
  key: string;
  text: string;
}

class CanonicalScanner {
  private pos = 0;
  /** Bumped whenever a canonical text differs from its source slice, so a parent knows to rebuild. */
  private changes = 0;
  // The string token just scanned: [tokenStart, tokenEnd) including the quotes.
  private tokenStart = 0;
  private tokenEnd = 0;
  private tokenPlain = true;

  constructor(private readonly text: string) {}

  document(): string | undefined {
    const value = this.value();
    if (value === undefined) return undefined;
    this.skipSpace();
    return this.pos === this.text.length ? value : undefined;
  }

  topLevelMembers(): Map<string, string> | undefined {
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== LEFT_BRACE) return undefined;
    const members = this.members();
    if (members === undefined) return undefined;
    this.skipSpace();
    if (this.pos !== this.text.length) return undefined;
    const byKey = new Map<string, string>();
    for (const member of members) {
      if (byKey.has(member.key)) return undefined;
      byKey.set(member.key, member.text);
    }
    return byKey;
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

  /**
   * A number prints as JSON.stringify(Number(token)) (canonicalize's rule, RFC 8785 3.2.2.3);
   * short integers already do. Non-finite values make canonicalize throw: left to the slow path.
   */
  private number(): string | undefined {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === MINUS) i += 1;
    const digitsStart = i;
    let code = text.charCodeAt(i);
    if (code === ZERO) {
      i += 1;
    } else if (code >= ONE && code <= NINE) {
      do code = text.charCodeAt(++i);
      while (code >= ZERO && code <= NINE);
    } else {
      return undefined;
    }
    let integer = true;
    code = text.charCodeAt(i);
    if (code === DOT) {
      integer = false;
      i = skipDigits(text, i + 1);
      if (i < 0) return undefined;
      code = text.charCodeAt(i);
    }
    if (code === LOWER_E || code === UPPER_E) {
      integer = false;
      i += 1;
      code = text.charCodeAt(i);
      if (code === PLUS || code === MINUS) i += 1;
      i = skipDigits(text, i);
      if (i < 0) return undefined;
    }
    this.pos = i;
    const token = text.slice(start, i);
    if (integer && i - digitsStart <= EXACT_INTEGER_DIGITS && token !== '-0') return token;
    const value = Number(token);
    if (!Number.isFinite(value)) return undefined;
    const canonical = JSON.stringify(value);
    if (canonical !== token) this.changes += 1;
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
    const items: string[] = [];
    for (;;) {
      const item = this.value();
      if (item === undefined) return undefined;
      items.push(item);
      this.skipSpace();
      const code = text.charCodeAt(this.pos);
      this.pos += 1;
      if (code === RIGHT_BRACKET) break;
      if (code !== COMMA) return undefined;
    }
    if (this.changes === changesBefore) return text.slice(start, this.pos);
    return `[${items.join(',')}]`;
  }

  /** canonicalize sorts keys with Array.prototype.sort: by UTF-16 code units, as `<` compares. */
  private object(): string | undefined {
    const start = this.pos;
    const changesBefore = this.changes;
    const members = this.members();
    if (members === undefined) return undefined;
    let sorted = true;
    for (let i = 1; i < members.length && sorted; i += 1) {
      sorted = (members[i - 1] as Member).key < (members[i] as Member).key;
    }
    if (sorted && this.changes === changesBefore) return this.text.slice(start, this.pos);
    if (!sorted) {
      members.sort(byKey);
      for (let i = 1; i < members.length; i += 1) {
        if ((members[i - 1] as Member).key === (members[i] as Member).key) return undefined;
      }
      this.changes += 1;
    }
    let out = '{';
    for (let i = 0; i < members.length; i += 1) {
      const member = members[i] as Member;
      if (i > 0) out += ',';
      out += `${JSON.stringify(member.key)}:${member.text}`;
    }
    return `${out}}`;
  }

  /** From `{` to past `}`: each member's decoded key and canonical value text. */
  private members(): Member[] | undefined {
    const text = this.text;
    this.pos += 1;
    this.skipSpace();
    const members: Member[] = [];
    if (text.charCodeAt(this.pos) === RIGHT_BRACE) {
      this.pos += 1;
      return members;
    }
    for (;;) {
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== QUOTE || !this.scanString()) return undefined;
      const key = this.tokenPlain
        ? text.slice(this.tokenStart + 1, this.tokenEnd - 1)
        : decodeString(text.slice(this.tokenStart, this.tokenEnd));
      if (key === undefined) return undefined;
      // A re-encoded key may print differently: let the parent rebuild with JSON.stringify(key).
      if (!this.tokenPlain) this.changes += 1;
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== COLON) return undefined;
      this.pos += 1;
      const value = this.value();
      if (value === undefined) return undefined;
      members.push({ key, text: value });
      this.skipSpace();
      const code = text.charCodeAt(this.pos);
      this.pos += 1;
      if (code === RIGHT_BRACE) return members;
      if (code !== COMMA) return undefined;
    }
  }
}

function byKey(a: Member, b: Member): number {
  if (a.key < b.key) return -1;
  return a.key > b.key ? 1 : 0;
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

function decodeString(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}
