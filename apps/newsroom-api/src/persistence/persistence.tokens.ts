export const SQLITE_DB = Symbol('SQLITE_DB');
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
