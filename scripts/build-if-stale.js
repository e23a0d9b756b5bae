#!/usr/bin/env node
'use strict';
/**
 * Builds dist/ with `nest build`, then the pages' bundle (scripts/build-ui.js), only when it is
 * missing or older than its sources, so `npm start` and the auditor binary answer in seconds after
 * the first build instead of recompiling each time.
 *
 * Plain CommonJS on purpose: it runs before anything is compiled, on every supported Node.
 *
 *   node scripts/build-if-stale.js          build if stale (progress on stderr, stdout untouched)
 *   node scripts/build-if-stale.js --force  build anyway (`npm run build`)
 *   node scripts/build-if-stale.js --check  exit 0 if fresh, 1 if stale, print why; build nothing
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { buildUi, UI_OUTPUTS } = require('./build-ui');

const ROOT = path.resolve(__dirname, '..');
/** Everything the compiler reads: source trees, its configuration, the installed dependencies. */
const SOURCE_DIRS = ['apps', 'libs', 'bench'];
const CONFIG_FILE = /^(tsconfig.*\.json|nest-cli\.json|package-lock\.json)$/;
/** What the tools run; a build that lacks one of them is not a build. */
const OUTPUTS = [
  'dist/apps/newsroom-api/src/main.js',
  'dist/apps/auditor/src/main.js',
  'dist/apps/projector/src/main.js',
  'dist/bench/run.js',
  ...UI_OUTPUTS,
];
/** Written after a successful build, dated to its start: `nest build` deletes dist/ first. */
const STAMP = 'dist/.build-stamp';
/** Not compiled (tsconfig.build.json excludes them) or not sources at all (benchmark output). */
const SKIPPED_FILE = /\.(spec|e2e-spec)\.ts$/;
const SKIPPED_DIRS = new Set([path.join('bench', 'results')]);
/** A build takes well under this; an older lock was left by a build that died. */
const LOCK_STALE_MS = 10 * 60 * 1000;

/**
 * Why dist/ under `root` must be rebuilt, or undefined when it is up to date. Directories count
 * as well as files, so a deleted or renamed source file also makes the build stale.
 * @param {string} root
 * @returns {string | undefined}
 */
function staleReason(root) {
  const stampTime = mtimeOf(path.join(root, STAMP));
  if (stampTime === undefined) return 'no finished build in dist/';
  for (const output of OUTPUTS) {
    if (mtimeOf(path.join(root, output)) === undefined) return `${output} is missing`;
  }
  const newer = newestInput(root);
  if (newer !== undefined && newer.mtimeMs > stampTime) return `${newer.file} changed since the last build`;
  return undefined;
}

/**
 * The most recently modified input (file or directory), relative to root.
 * @param {string} root
 * @returns {{ file: string, mtimeMs: number } | undefined}
 */
function newestInput(root) {
  /** @type {{ file: string, mtimeMs: number } | undefined} */
  let newest;
  const consider = (/** @type {string} */ file, /** @type {number} */ mtimeMs) => {
    if (newest === undefined || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  const walk = (/** @type {string} */ relative) => {
    const absolute = path.join(root, relative);
    consider(relative, fs.statSync(absolute).mtimeMs);
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || SKIPPED_DIRS.has(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && !SKIPPED_FILE.test(entry.name))
        consider(child, fs.statSync(path.join(root, child)).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (isDirectory(path.join(root, dir))) walk(dir);
  for (const name of fs.readdirSync(root)) {
    if (CONFIG_FILE.test(name)) consider(name, fs.statSync(path.join(root, name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds if stale; true when dist/ is usable afterwards. Every line it prints (and the compiler's
 * own output) goes to stderr, so a tool's stdout stays its own (`newsroom-audit keygen > k.pem`).
 * @param {{ root?: string, force?: boolean }} [options]
 * @returns {boolean}
 */
function ensureBuilt(options = {}) {
  const root = options.root ?? ROOT;
  // An installed copy without sources runs what it was shipped with.
  if (!options.force && !SOURCE_DIRS.some((dir) => isDirectory(path.join(root, dir)))) return true;
  if (!options.force && staleReason(root) === undefined) return true;
  return withLock(root, () => {
    // Another process may have built while this one waited for the lock.
    const reason = options.force ? 'build requested' : staleReason(root);
    if (reason === undefined) return true;
    process.stderr.write(`build: ${reason}; running nest build (about half a minute)\n`);
    const startedAt = new Date();
    const nest = path.join(
      path.dirname(require.resolve('@nestjs/cli/package.json', { paths: [root] })),
      'bin',
      'nest.js',
    );
    const result = spawnSync(process.execPath, [nest, 'build', 'newsroom-api'], {
      cwd: root,
      stdio: ['ignore', 2, 2],
    });
    if (result.status !== 0) {
      process.stderr.write(
        `build: nest build failed (${result.error?.message ?? `exit ${result.status}`})\n`,
      );
      return false;
    }
    // The pages' bundle (dist/ui), after nest build: it deletes dist/ before compiling.
    try {
      buildUi({ root });
    } catch (error) {
      process.stderr.write(`build: the pages' bundle failed (${String(error)})\n`);
      return false;
    }
    const stamp = path.join(root, STAMP);
    fs.writeFileSync(stamp, `${JSON.stringify({ startedAt: startedAt.toISOString() })}\n`);
    fs.utimesSync(stamp, startedAt, startedAt);
    return true;
  });
}

/**
 * Runs `action` holding a per-checkout lock, so two tools started together do not both delete and
 * rewrite dist/. Synchronous on purpose: the auditor binary must finish this before it loads dist/.
 * The lock file holds its owner's pid: a build interrupted by Ctrl-C leaves it behind, and the next
 * run takes it over at once instead of waiting for it to age.
 * @template T
 * @param {string} root
 * @param {() => T} action
 * @returns {T}
 */
function withLock(root, action) {
  const lock = lockFile(root);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let waited = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (abandoned(lock)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (!waited) process.stderr.write('build: waiting for another build of this checkout\n');
      waited = true;
      Atomics.wait(sleeper, 0, 0, 250);
    }
  }
  try {
    return action();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Outside the checkout (nothing to ignore in git), one per checkout.
 * @param {string} root
 */
function lockFile(root) {
  return path.join(
    tmpdir(),
    `newsroom-build-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`,
  );
}

/**
 * A lock whose owner has exited, or older than any build takes.
 * @param {string} lock
 */
function abandoned(lock) {
  const age = Date.now() - (mtimeOf(lock) ?? Date.now());
  if (age > LOCK_STALE_MS) return true;
  let pid;
  try {
    pid = Number(fs.readFileSync(lock, 'utf8'));
  } catch {
    return false; // gone already, or being written: look again
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, owned by another user.
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'ESRCH';
  }
}

/** @param {string} file */
function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** @param {string} file */
function isDirectory(file) {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

module.exports = { staleReason, ensureBuilt, lockFile, STAMP, OUTPUTS };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const reason = staleReason(ROOT);
    process.stderr.write(reason === undefined ? 'build: up to date\n' : `build: stale: ${reason}\n`);
    process.exitCode = reason === undefined ? 0 : 1;
  } else {
    process.exitCode = ensureBuilt({ force: args.includes('--force') }) ? 0 : 1;
  }
}
