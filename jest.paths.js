/** Derives Jest's moduleNameMapper from tsconfig.json `paths`, so the `@app/<lib>` aliases never drift. */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const configPath = join(__dirname, 'tsconfig.json');
const { config } = ts.readConfigFile(configPath, (p) => readFileSync(p, 'utf8'));
const paths = config.compilerOptions.paths;
const mapper = {};
for (const [alias, [target]] of Object.entries(paths)) {
  const from = '^' + alias.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '(.*)') + '$';
  mapper[from] = '<rootDir>/' + target.replace('*', '$1');
}
module.exports = { mapper };
