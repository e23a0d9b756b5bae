/**
 * What every reader without `sources:identity` sees instead of a protected source's name, and
 * what the read models hold: stable (the same id gives the same text on every replica, rebuild and
 * replay), derived only from the id, which is public anyway. FNV-1a, since the domain imports
 * nothing of Node: this names, it does not hide.
 */
export const PROTECTED_PLACEHOLDER_PREFIX = 'Protected source ';

export function protectedSourcePlaceholder(sourceId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sourceId.length; i += 1) {
    hash ^= sourceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${PROTECTED_PLACEHOLDER_PREFIX}${hash.toString(16).padStart(8, '0')}`;
}
