// ESLint looks for the nearest config: the bin wrappers are plain Node scripts like scripts/.
export { default } from '../scripts/eslint.config.mjs';
