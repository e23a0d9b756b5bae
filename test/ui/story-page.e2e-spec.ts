import { KEYS, type TestApp } from '../support/test-app';
import type { TestBrowser } from './support/browser';
import { type PagesFixture, startPagesFixture, STORY } from './support/fixture';

/**
 * GET /ui/stories/{storyId} (issue 11) in headless Chromium over the demo. Each test leaves a
 * screenshot in test/artifacts/.
 */
describe('the story page in Chromium', () => {
  let fixture: PagesFixture;
  let api: TestApp;
  let browser: TestBrowser;
  let claim: any;

  beforeAll(async () => {
    fixture = await startPagesFixture();
    ({ api, browser, claim } = fixture);
  }, 240_000);
  afterAll(() => fixture?.close());

  it('serves the pages without a key, and asks the reader for one before reading data', async () => {
    const html = await fetch(`${api.url}/ui/stories/${STORY}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    // An id in the path is text in the shell, never markup; only the built files are served.
    const hostile = await (
      await fetch(`${api.url}/ui/stories/${encodeURIComponent('"><script>x()</script>')}`)
    ).text();
    expect(hostile).not.toContain('<script>x()');
    expect(hostile).toContain('&quot;&gt;&lt;script&gt;');
    expect((await fetch(`${api.url}/ui/assets/pages.js`)).headers.get('content-type')).toContain(
      'javascript',
    );
    expect((await fetch(`${api.url}/ui/assets/..%2Fpackage.json`)).status).toBe(404);
    const page = await browser.open(`${api.url}/ui/stories/${STORY}`);
    await page.waitForSelector('#key-form');
    await browser.screenshot(page, 'key-form');
    expect(await page.locator('.card').count()).toBe(0);
    await page.fill('#api-key', KEYS.reporter);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('.card');
    expect(await page.evaluate(() => sessionStorage.getItem('newsroom.apiKey'))).toBe(KEYS.reporter);
    await page.close();
  });

  it('lists the foreign-fighters claim as contested, first, with its conflict in one line', async () => {
    const page = await browser.open(`${api.url}/ui/stories/${STORY}`, KEYS.reporter);
    await page.waitForSelector('.card');
    const groups = await page
      .locator('section.group')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-status')));
    expect(groups[0]).toBe('contested');
    const card = page.locator(`section[data-status=contested] .card[data-claim-id="${claim.claimId}"]`);
    expect(await card.getAttribute('data-status')).toBe('contested');
    expect(await card.locator('.badge').first().innerText()).toContain('Contested');
    const conflict = await card.locator('.conflict').innerText();
    // Both sides, by the names an editor uses, and what each says.
    expect(conflict).toMatch(/SDF[^—]*: no/);
    expect(conflict).toMatch(/Raqqa Civil Council[^—]*: yes/);
    expect(await card.locator('.verdict summary').innerText()).toContain(claim.verdict.rating);
    await browser.screenshot(page, 'story-page');
    await page.close();
  });

  it('filters by status and by source through the API', async () => {
    const page = await browser.open(`${api.url}/ui/stories/${STORY}`, KEYS.reporter);
    await page.waitForSelector('.card');
    await page.selectOption('#filter-status', 'single-source');
    await page.waitForFunction(() => !document.querySelector('.card[data-status=contested]'));
    const statuses = await page
      .locator('.card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));
    const singles = await api.get(`/claims?storyId=${STORY}&status=single-source&limit=200`);
    expect(statuses).toEqual(singles.body.items.map(() => 'single-source'));

    const sdf = claim.voices.find((voice: any) => voice.voiceName === 'قوات سوريا الديمقراطية');
    await page.selectOption('#filter-status', '');
    await page.waitForFunction(() => document.querySelector('.card[data-status=contested]') !== null);
    await page.selectOption('#filter-source', sdf.sourceId);
    const bySource = await api.get(`/claims?storyId=${STORY}&sourceId=${sdf.sourceId}&limit=200`);
    await page.waitForFunction(
      (count) => document.querySelectorAll('.card').length === count,
      bySource.body.items.length,
    );
    const shown = await page
      .locator('.card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-claim-id')));
    expect(shown.sort()).toEqual(bySource.body.items.map((item: any) => item.claimId).sort());
    await browser.screenshot(page, 'story-page-filtered');
    await page.close();
  });

  it('shows a claim opened after the page loaded once Refresh is pressed, its Arabic proposition right to left', async () => {
    const page = await browser.open(`${api.url}/ui/stories/${STORY}`, KEYS.reporter);
    await page.waitForSelector('.card');
    const opened = await api.post(
      '/claims',
      {
        storyId: STORY,
        proposition: { text: 'الصفقة تشمل المقاتلين الأجانب', language: 'ar' },
        valueKind: 'boolean',
      },
      { as: 'reporter' },
    );
    expect(opened.status).toBe(201);
    await page.click('#refresh');
    const card = page.locator(`.card[data-claim-id="${opened.body.id}"]`);
    await card.waitFor();
    const proposition = card.locator('.proposition');
    expect(await proposition.getAttribute('lang')).toBe('ar');
    expect(await proposition.evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    expect(await card.getAttribute('data-status')).toBe('unsourced');
    await browser.screenshot(page, 'story-page-refreshed');
    await page.close();
  });
});
