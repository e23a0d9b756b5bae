import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProblemError } from '../http/problem';

/** The files scripts/build-ui.js writes to dist/ui/, with the types they are served as. */
export const UI_ASSETS: Readonly<Record<string, string>> = {
  'pages.js': 'text/javascript; charset=utf-8',
  'pages.js.map': 'application/json; charset=utf-8',
  'pages.css': 'text/css; charset=utf-8',
  'pages.css.map': 'application/json; charset=utf-8',
};

/**
 * dist/ui of this checkout. Found by walking up to package.json rather than by a fixed number of
 * `..`: the API runs compiled from dist/apps/… (npm start) and from its sources (the tests).
 */
export function uiAssetsDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(from, 'ui');
    dir = parent;
  }
  return join(dir, 'dist', 'ui');
}

/** Reads one built asset; a name not in UI_ASSETS is undefined (404), a missing build throws. */
export function readUiAsset(name: string, dir: string = uiAssetsDir()): Buffer | undefined {
  if (!Object.hasOwn(UI_ASSETS, name)) return undefined;
  const file = join(dir, name);
  if (!existsSync(file)) {
    throw new ProblemError(
      503,
      'UI_NOT_BUILT',
      'Service unavailable',
      `the pages are not built (${name} is missing): run npm run build`,
    );
  }
  return readFileSync(file);
}
