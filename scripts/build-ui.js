#!/usr/bin/env node
'use strict';
/**
 * Bundles the story and claim pages (apps/pages/src) into dist/ui/: one ES module and one style
 * sheet that the API serves under /ui/assets/, so nothing is fetched from a CDN at run time.
 * build-if-stale.js runs it after every `nest build` (which deletes dist/ first).
 *
 *   node scripts/build-ui.js    bundle now
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** What the API serves; apps/newsroom-api/src/ui/ui-assets.ts names the same files. */
const UI_OUTPUTS = ['dist/ui/pages.js', 'dist/ui/pages.css'];
const ENTRY = 'apps/pages/src/pages.ts';

/**
 * @param {{ root?: string }} [options]
 */
function buildUi(options = {}) {
  const root = options.root ?? ROOT;
  // A checkout without the pages' sources (an installed copy, a test's miniature) has none to bundle.
  if (!fs.existsSync(path.join(root, ENTRY))) return;
  // Loaded here, not at the top: an installed copy without devDependencies never builds.
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [ENTRY, 'apps/pages/src/pages.css'],
    outdir: 'dist/ui',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Evergreen browsers only: the pages use ES2022 and CSS nesting-free plain CSS.
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

module.exports = { buildUi, UI_OUTPUTS };

if (require.main === module) buildUi();
