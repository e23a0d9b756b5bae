import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (.ci/run installs it): the tests never download a browser of their own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps dialling
 * Google's hosts, and every refused connection is noise (or a stall) on this machine.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS = resolve(__dirname, '../../artifacts');

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab; with `key`, the tab's session already holds it (as after the key form). */
  open(url: string, key?: string): Promise<Page>;
  /** A full-page screenshot in test/artifacts/ (ignored by git). */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium on a fresh profile, removed on close; a laptop-sized window. */
export async function startBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'newsroom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 900 },
  });
  const errors: string[] = [];
  return {
    context,
    async open(url, key) {
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      if (key !== undefined) {
        await page.addInitScript((value) => sessionStorage.setItem('newsroom.apiKey', value), key);
      }
      await page.goto(url);
      return page;
    },
    async screenshot(page, name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      // A script error on a page fails the suite even when its assertions passed.
      if (errors.length > 0) throw new Error(`errors on the pages: ${errors.join('; ')}`);
    },
  };
}
