import { ensureBuilt } from '../../../scripts/build-if-stale';
import { startTestApp, type TestApp } from '../../support/test-app';
import { startBrowser, type TestBrowser } from './browser';

export const STORY = 'raqqa-2017-10-15';
export const FOREIGN_FIGHTERS = 'Foreign ISIS fighters are included in the Raqqa evacuation deal';

export interface PagesFixture {
  api: TestApp;
  browser: TestBrowser;
  /** GET /claims/{id} of the foreign-fighters claim, now. */
  claim: any;
  close(): Promise<void>;
}

/**
 * The API with the Raqqa demo on the e2e tier's store (SQLite, or PostgreSQL under
 * E2E_EVENT_STORE=postgres), and a headless Chromium beside it.
 */
export async function startPagesFixture(): Promise<PagesFixture> {
  // The pages' bundle is part of the build (dist/ui); this compiles only if a source changed.
  if (!ensureBuilt()) throw new Error('the build failed');
  const api = await startTestApp({ NEWSROOM_DEMO: 'on' });
  let browser: TestBrowser;
  try {
    browser = await startBrowser();
  } catch (error) {
    await api.close();
    throw error;
  }
  const claims = await api.get(`/claims?storyId=${STORY}&limit=200`);
  const summary = claims.body.items.find((item: any) => item.proposition.text === FOREIGN_FIGHTERS);
  const claim = (await api.get(`/claims/${summary.claimId}`)).body;
  return {
    api,
    browser,
    claim,
    close: async () => {
      try {
        await browser.close();
      } finally {
        await api.close();
      }
    },
  };
}
