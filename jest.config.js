/**
 * Jest: three tiers by file suffix. TypeScript, and the ESM-only packages of Nest 12 and its
 * dependencies, go through SWC to CommonJS (Jest's own loader does not do require(esm) on Node 20).
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { mapper } = require('./jest.paths');

/** Top-level packages published as ES modules ("type": "module"): Jest must transform them. */
function esmOnlyPackages() {
  const root = join(__dirname, 'node_modules');
  const names = readdirSync(root).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(root, name)).map((sub) => `${name}/${sub}`) : [name],
  );
  return names.filter((name) => {
    try {
      return JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).type === 'module';
    } catch {
      return false;
    }
  });
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const escape = (name) => name.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
const common = {
  testEnvironment: 'node',
  // Generous: suites share two cores with each other and with PostgreSQL; a timeout is not a speed check.
  testTimeout: 60_000,
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages().map(escape).join('|')})/)`],
  moduleNameMapper: mapper,
};
module.exports = {
  // Jest reads testTimeout from the top level, not from a project's options.
  testTimeout: common.testTimeout,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
