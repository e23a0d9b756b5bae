#!/usr/bin/env node
'use strict';
/**
 * `npx newsroom-audit <command>` (and `npm run audit -- <command>`): the auditor CLI from dist/,
 * compiled first only when the sources changed. Nothing but the auditor writes to stdout, so
 * `newsroom-audit keygen > log.pub.pem` and `newsroom-audit verify --json | jq` stay clean.
 */
const path = require('node:path');
const { ensureBuilt } = require('../scripts/build-if-stale.js');

/** Not 1 (verify's "the log was altered") nor 2 (usage): the auditor itself could not be built. */
const EXIT_NOT_BUILT = 3;

if (ensureBuilt()) require(path.join(__dirname, '..', 'dist', 'apps', 'auditor', 'src', 'main.js'));
else process.exitCode = EXIT_NOT_BUILT;
