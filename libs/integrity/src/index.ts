export * from './event-hash';
export * from './merkle/merkle';
export * from './tree-head/tree-head';
export * from './proofs/proof-bundle';
export * from './verify/log-verifier';
export * from './canonical/canonical-json';
export * from './canonical/stored-event-hash';
export * from './canonical/one-json-container';
