import { isSealed, openField, sealField } from '../cipher/field-cipher';

/** The fields that say who a protected source is: sealed in its events, placeholders elsewhere. */
export const IDENTITY_FIELDS = ['name', 'nameLatin', 'role'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export type IdentityValues = Partial<Record<IdentityField, string | null | undefined>>;

/**
 * Seals each identity field that holds text (a `null` clearing a field, or an absent one, stays as
 * it is: nothing to hide); every other key is copied untouched. The result is what gets hashed.
 */
export function sealIdentity<T extends IdentityValues>(key: Buffer, sourceId: string, values: T): T {
  const sealed: Record<string, unknown> = { ...values };
  for (const field of IDENTITY_FIELDS) {
    const value = values[field];
    if (typeof value === 'string') sealed[field] = sealField(key, sourceId, field, value);
  }
  return sealed as T;
}

/** The plaintext of each sealed identity field (unsealed ones, from before protection, as they are). */
export function openIdentity(key: Buffer, sourceId: string, values: IdentityValues): IdentityValues {
  const opened: IdentityValues = {};
  for (const field of IDENTITY_FIELDS) {
    const value = values[field];
    if (value === undefined) continue;
    opened[field] = isSealed(value) ? openField(key, sourceId, field, value) : value;
  }
  return opened;
}
