// @ts-check
// The peer harness is plain Node ESM outside the tsconfig project, as scripts/ is: lint it the same way.
export { default } from '../../scripts/eslint.config.mjs';
