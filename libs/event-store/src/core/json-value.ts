import { InvalidAppendError } from './errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Returns a deep copy of `value` as plain JSON, or throws `InvalidAppendError`.
 *
 * Why: the hash is computed over the data and must be recomputable from what a store gives back.
 * JSON.stringify silently turns NaN into null, drops functions and calls Date#toJSON, so the bytes
 * read back would differ from what was hashed. We reject anything that does not survive a JSON
 * round trip unchanged, except undefined-valued object keys, which JSON (and the canonical form)
 * simply omit and which optional fields in TypeScript produce routinely.
 */
export function toJsonValue(value: unknown, path = 'data'): JsonValue {
  return copy(value, path, new Set<object>());
}

function copy(value: unknown, path: string, ancestors: Set<object>): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return copyNumber(value, path);
  if (typeof value !== 'object') throw invalid(path, `is ${typeof value}, not JSON`);
  if (ancestors.has(value)) throw invalid(path, 'is a circular reference');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? copyArray(value, path, ancestors) : copyObject(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function copyNumber(value: number, path: string): number {
  if (!Number.isFinite(value)) throw invalid(path, `is ${value}, not a finite number`);
  // -0 would be stored as 0: normalise now so the hash covers what is read back.
  return value === 0 ? 0 : value;
}

function copyArray(items: readonly unknown[], path: string, ancestors: Set<object>): JsonValue[] {
  const result: JsonValue[] = [];
  // A loop, not map: map skips the holes of a sparse array, which JSON.stringify writes as null and
  // canonicalize leaves out, so the stored text and the hash would disagree. A hole reads undefined.
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const itemPath = `${path}[${index}]`;
    if (item === undefined) throw invalid(itemPath, 'is undefined (JSON would turn it into null)');
    result.push(copy(item, itemPath, ancestors));
  }
  return result;
}

function copyObject(value: object, path: string, ancestors: Set<object>): { [key: string]: JsonValue } {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalid(path, 'is not a plain object (Date, Map, class instance?)');
  }
  const result: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    // defineProperty, not assignment: a "__proto__" key must stay data, not replace the prototype.
    Object.defineProperty(result, key, {
      value: copy(item, `${path}.${key}`, ancestors),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

function invalid(path: string, problem: string): InvalidAppendError {
  return new InvalidAppendError(`${path} ${problem}`);
}
