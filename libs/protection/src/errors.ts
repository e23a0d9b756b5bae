/** Typed errors of the protection layer; `code` is what problem details carry. */
export class ProtectionError extends Error {
  override readonly name = 'ProtectionError';
  constructor(
    readonly code:
      'PROTECTION_NOT_CONFIGURED' | 'SOURCE_KEY_MISSING' | 'SEALED_FIELD_INVALID' | 'MASTER_KEY_UNKNOWN',
    message: string,
  ) {
    super(message);
  }
}
