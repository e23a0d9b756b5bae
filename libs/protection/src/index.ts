/**
 * Protected sources: a key per source outside the log, identity fields encrypted before hashing,
 * and shredding (delete the key; the log still verifies). docs/decisions/0016, docs/security.md.
 */
export * from './errors';
export {
  decrypt,
  encrypt,
  isSealed,
  newDataKey,
  openField,
  sealField,
  SEALED_PREFIX,
} from './cipher/field-cipher';
export { MasterKeyRing, masterKeyId } from './keys/master-key-ring';
export * from './keys/key-store.port';
export { SqliteSourceKeyStore } from './keys/sqlite-key-store';
export { PostgresSourceKeyStore, sourceKeyMigrations } from './keys/postgres-key-store';
export { SOURCE_KEYS, SourceKeys } from './keys/source-keys';
export * from './identity/identity-fields';
