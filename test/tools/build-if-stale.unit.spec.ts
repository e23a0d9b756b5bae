import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBuilt, lockFile, OUTPUTS, STAMP, staleReason } from '../../scripts/build-if-stale';

/** A checkout in miniature: sources, compiler configuration and a dist/ built at `builtAt`. */
describe('build-if-stale', () => {
  let root: string;
  const earlier = new Date('2026-01-01T10:00:00Z');
  const builtAt = new Date('2026-01-01T11:00:00Z');
  const later = new Date('2026-01-01T12:00:00Z');

  const write = (file: string, text = '', at = earlier): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    utimesSync(join(root, file), at, at);
  };
  const touch = (file: string, at = later): void => utimesSync(join(root, file), at, at);
  const buildAt = (at = builtAt): void => {
    for (const output of OUTPUTS) write(output, '', at);
    write(STAMP, '{}', at);
  };
  /** Directories get the time too: creating the files above bumped theirs to now. */
  const ageDirectories = (): void => {
    for (const dir of ['apps', 'apps/api', 'apps/api/src', 'libs', 'libs/core', 'bench', 'bench/results'])
      touch(dir, earlier);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'newsroom-build-if-stale-'));
    write('apps/api/src/main.ts', 'export {};');
    write('apps/api/src/main.unit.spec.ts');
    write('libs/core/index.ts');
    write('bench/run.ts');
    write('bench/results/last.json');
    write('tsconfig.json', '{}');
    write('tsconfig.build.json', '{}');
    write('nest-cli.json', '{}');
    write('package-lock.json', '{}');
    write('README.md');
    ageDirectories();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is stale without a finished build', () => {
    expect(staleReason(root)).toBe('no finished build in dist/');
    for (const output of OUTPUTS) write(output);
    expect(staleReason(root)).toBe('no finished build in dist/');
  });

  it('is fresh when nothing the compiler reads changed after the build started', () => {
    buildAt();
    expect(staleReason(root)).toBeUndefined();
  });

  it('is stale when a tool the scripts run is missing from dist/', () => {
    buildAt();
    rmSync(join(root, 'dist/apps/auditor/src/main.js'));
    expect(staleReason(root)).toBe('dist/apps/auditor/src/main.js is missing');
  });

  it.each(['apps/api/src/main.ts', 'libs/core/index.ts', 'bench/run.ts'])(
    'is stale when the source %s changed',
    (file) => {
      buildAt();
      touch(file);
      expect(staleReason(root)).toBe(`${file} changed since the last build`);
    },
  );

  it.each(['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'])(
    'is stale when %s changed',
    (file) => {
      buildAt();
      touch(file);
      expect(staleReason(root)).toBe(`${file} changed since the last build`);
    },
  );

  it('is stale when a source file was deleted (its directory changed)', () => {
    buildAt();
    rmSync(join(root, 'libs/core/index.ts'));
    expect(staleReason(root)).toBe('libs/core changed since the last build');
  });

  it('ignores what is not compiled: tests, benchmark results, other files', () => {
    buildAt();
    touch('apps/api/src/main.unit.spec.ts');
    touch('bench/results/last.json');
    touch('bench/results');
    touch('README.md');
    expect(staleReason(root)).toBeUndefined();
  });

  describe('ensureBuilt', () => {
    let stderr: jest.SpyInstance;
    beforeEach(() => {
      stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      // A stand-in for `nest build`: counts its runs and writes the outputs.
      const outputs = JSON.stringify(OUTPUTS);
      write('node_modules/@nestjs/cli/package.json', '{ "name": "@nestjs/cli" }');
      write(
        'node_modules/@nestjs/cli/bin/nest.js',
        `const fs = require('node:fs'); const path = require('node:path');
         fs.appendFileSync('builds.log', process.argv.slice(2).join(' ') + '\\n');
         for (const f of ${outputs}) { fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, ''); }`,
      );
    });
    afterEach(() => stderr.mockRestore());
    const builds = (): string[] => readFileSync(join(root, 'builds.log'), 'utf8').trim().split('\n');

    it('builds once, then not again until a source changes', () => {
      expect(ensureBuilt({ root })).toBe(true);
      expect(ensureBuilt({ root })).toBe(true);
      expect(builds()).toEqual(['build newsroom-api']);
      expect(staleReason(root)).toBeUndefined();

      touch('libs/core/index.ts', new Date(Date.now() + 1000));
      expect(ensureBuilt({ root })).toBe(true);
      expect(builds()).toHaveLength(2);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('libs/core/index.ts changed'));
    });

    it('builds when forced, even if fresh', () => {
      expect(ensureBuilt({ root })).toBe(true);
      expect(ensureBuilt({ root, force: true })).toBe(true);
      expect(builds()).toHaveLength(2);
    });

    it('reports a failed build and writes no stamp', () => {
      write('node_modules/@nestjs/cli/bin/nest.js', 'process.exit(1);');
      expect(ensureBuilt({ root })).toBe(false);
      expect(staleReason(root)).toBe('no finished build in dist/');
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('nest build failed (exit 1)'));
    });

    it('takes over a lock left by a build that died', () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
      writeFileSync(lockFile(root), String(dead));
      expect(ensureBuilt({ root })).toBe(true);
      expect(builds()).toHaveLength(1);
      expect(existsSync(lockFile(root))).toBe(false);
    });

    it('waits while another live process holds the lock, and builds after it lets go', async () => {
      // The holder removes the lock itself, as a finished build does (this thread is blocked
      // meanwhile, so it could not even notice the holder exiting).
      const lock = lockFile(root);
      const holder = spawn(process.execPath, [
        '-e',
        `setTimeout(() => require('node:fs').rmSync(${JSON.stringify(lock)}), 700)`,
      ]);
      writeFileSync(lock, String(holder.pid));
      const exited = new Promise((done) => holder.once('exit', done));
      expect(ensureBuilt({ root })).toBe(true);
      await exited;
      expect(builds()).toHaveLength(1);
      expect(stderr).toHaveBeenCalledWith('build: waiting for another build of this checkout\n');
    });

    it('runs what it has when there are no sources to build from (an installed copy)', () => {
      for (const dir of ['apps', 'libs', 'bench']) rmSync(join(root, dir), { recursive: true });
      expect(ensureBuilt({ root })).toBe(true);
      expect(() => builds()).toThrow();
    });
  });
});
