export * from './event-hash';
export * from './merkle/merkle';
export * from './tree-head/tree-head';
export * from './proofs/proof-bundle';
export * from './verify/log-verifier';
export * from './canonical/canonical-json';
export * from './canonical/stored-event-hash';
export * from './canonical/canonical-value';
export * from './canonical/one-json-container';
export * from './canonical/plain-context';
// The JSON token codes, for readers of stored bytes (the auditor's bytes path).
export {
  BACKSLASH,
  LEFT_BRACE,
  LEFT_BRACKET,
  QUOTE,
  RIGHT_BRACE,
  RIGHT_BRACKET,
  SPACE,
} from './canonical/json-tokens';
