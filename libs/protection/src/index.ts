/**
 * Protected sources: a key per source outside the log, identity fields encrypted before hashing,
 * and shredding (delete the key; the log still verifies).
 */
export {};
