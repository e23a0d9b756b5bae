/**
 * Freezes a value and everything reachable from it (plain objects and arrays: a Map's or a Set's
 * entries are not own properties and stay as they are). The read side freezes what many readers
 * share, so that a fold writing into it throws instead of corrupting them; specs freeze a pure
 * function's input, so that one that mutates it fails loudly.
 *
 * A frozen value is taken as frozen all through (this is the only freezer), which keeps freezing
 * what shares frozen parts cheap and ends a cycle.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
