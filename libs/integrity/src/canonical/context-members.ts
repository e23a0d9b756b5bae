/** The context keys the event hash covers, in canonicalize's order (sorted by code unit). */
export const CONTEXT_KEYS = ['causationId', 'correlationId', 'idempotencyKey', 'principal'] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];

/**
 * The hashed members of one context as a reading finds them, each a canonical JSON token: taken
 * once per key, written back in canonical order. One instance per reader, reset per event (no
 * object per event on the hot paths of verify and append).
 */
export class ContextMembers {
  private readonly tokens: Record<ContextKey, string | undefined> = {
    causationId: undefined,
    correlationId: undefined,
    idempotencyKey: undefined,
    principal: undefined,
  };

  // Written out key by key, not looped over CONTEXT_KEYS: the loop made the plain reading (once per
  // event verified) a quarter slower, measured against the code before this class, each in its process.
  reset(): void {
    this.tokens.causationId = undefined;
    this.tokens.correlationId = undefined;
    this.tokens.idempotencyKey = undefined;
    this.tokens.principal = undefined;
  }

  /** Takes a hashed key the first time; any other key, or a repeat, declines (false). */
  take(key: string, token: string): boolean {
    switch (key) {
      case 'principal':
      case 'correlationId':
      case 'causationId':
      case 'idempotencyKey':
        if (this.tokens[key] !== undefined) return false;
        this.tokens[key] = token;
        return true;
      default:
        return false;
    }
  }

  /** The members taken, sorted, without braces: `"correlationId":"c","principal":"p"`. */
  text(): string {
    let out = withMember('', 'causationId', this.tokens.causationId);
    out = withMember(out, 'correlationId', this.tokens.correlationId);
    out = withMember(out, 'idempotencyKey', this.tokens.idempotencyKey);
    return withMember(out, 'principal', this.tokens.principal);
  }
}

/** The canonical metadata text: the context's members, then `recordedAt` (it sorts last). */
export function metadataText(members: string, recordedAt: string): string {
  return `{${withMember(members, 'recordedAt', JSON.stringify(recordedAt))}}`;
}

/** canonicalize leaves out absent (undefined) members; JSON null is a value and stays. */
export function withMember(out: string, key: string, token: string | undefined): string {
  if (token === undefined) return out;
  return `${out}${out.length > 0 ? ',' : ''}"${key}":${token}`;
}
