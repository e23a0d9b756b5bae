/**
 * Not a test tier: runs the read-side measurements (`*.measure.ts`) with the unit tier's transform.
 * `npx jest -c libs/projections/measure/jest.measure.config.js` — they print figures, assert nothing.
 */
const root = require('../../../jest.config.js');

module.exports = {
  ...root.projects[0],
  displayName: 'measure',
  testMatch: ['<rootDir>/libs/projections/measure/*.measure.ts'],
  testTimeout: 600_000,
};
