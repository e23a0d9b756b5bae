import type { z } from 'zod';

/**
 * A compile-time check that a response schema describes its view type exactly: fast-json-stringify
 * (Fastify's response serializer) silently drops every property a schema does not list, so a field
 * added to a view type but not to its schema would vanish from the answer. With this check, `tsc`
 * fails instead: "Expected 1 arguments, but got 0" at the `exactly<…>()` line names the schema to
 * extend (the argument's type lists the keys that differ at the top level).
 */

/** Intersections flattened, arrays made mutable, recursively: two spellings of one shape compare equal. */
type Normalize<T> = T extends readonly (infer U)[]
  ? Normalize<U>[]
  : T extends object
    ? { [K in keyof T]: Normalize<T[K]> }
    : T;

/** True when A and B are the same type (not merely assignable one way), after normalizing. */
export type Equals<A, B> =
  (<T>() => T extends Normalize<A> ? 1 : 2) extends <T>() => T extends Normalize<B> ? 1 : 2 ? true : false;

type Mismatch<Out, View> = {
  'not in the schema': Exclude<keyof View, keyof Out>;
  'not in the view type': Exclude<keyof Out, keyof View>;
};

/** Call once per response schema, next to it: `exactly<typeof claimViewSchema, ClaimView>();` */
export function exactly<Schema extends z.ZodType, View>(
  ..._mismatch: Equals<z.output<Schema>, View> extends true ? [] : [Mismatch<z.output<Schema>, View>]
): void {
  // Nothing at run time: the check is the call's type.
}
