// @ts-check
// The repository's config lints TypeScript with type information; these plain Node scripts are
// not part of a tsconfig project, so ESLint (which looks for the nearest config) lints them here.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';

const node = Object.fromEntries(
  [
    'require',
    'module',
    '__dirname',
    '__filename',
    'process',
    'console',
    'SharedArrayBuffer',
    'Atomics',
    'URL',
    'performance',
  ].map((name) => [name, 'readonly']),
);

export default [
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: node } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: node } },
  eslint.configs.recommended,
  prettier,
];
