/**
 * A read model's JSON column, read back as the type the projection wrote into it. Both stores hold
 * their rows' records as JSON text that only the projection writes, so the text is that type's.
 */
export const parse = <T>(text: string): T => JSON.parse(text) as T;
