import type { Page } from 'playwright-core';
import { KEYS, type TestApp } from '../support/test-app';
import type { TestBrowser } from './support/browser';
import { type PagesFixture, startPagesFixture, STORY } from './support/fixture';

/**
 * The pages follow the SSE feeds (issue 11, decision 0018): what is written over HTTP while a page
 * is open appears on it without Refresh. Each page first waits until its feed is live, so the
 * write is certainly after the feed opened. Each test leaves a screenshot in test/artifacts/.
 */
describe('the pages, live, in Chromium', () => {
  let fixture: PagesFixture;
  let api: TestApp;
  let browser: TestBrowser;
  let claim: any;

  beforeAll(async () => {
    fixture = await startPagesFixture();
    ({ api, browser, claim } = fixture);
  }, 240_000);
  afterAll(() => fixture?.close());

  const open = async (path: string, ready: string): Promise<Page> => {
    const page = await browser.open(`${api.url}${path}`, KEYS.reporter);
    await page.waitForSelector(ready);
    await page.waitForSelector('#live-state[data-state=live]');
    return page;
  };
  const openClaim = async (text: string) => {
    const opened = await api.post('/claims', {
      storyId: STORY,
      proposition: { text, language: 'en' },
      valueKind: 'quantity',
      unit: 'fighters',
    });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };
  const report = async (claimId: string, sourceId: string, exact: number, at: string) => {
    const reported = await api.post(`/claims/${claimId}/statements`, {
      sourceId,
      stance: 'affirms',
      value: { exact },
      quote: { text: `${exact} fighters`, language: 'en' },
      statedAt: { at, precision: 'hour' },
      attribution: 'on-record',
    });
    expect(reported.status).toBe(201);
    return reported.body.id as string;
  };
  // Two sources of different voices, from the demo's contested claim.
  const twoVoices = () => {
    const [a, b] = [...new Map(claim.positions.map((p: any) => [p.voice, p])).values()] as any[];
    return [a, b];
  };
  const marks = (page: Page) =>
    page
      .locator('svg.timeline .mark')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-statement-id')));

  it('story page: a claim opened over HTTP appears as a card, and a statement then updates it', async () => {
    const page = await open(`/ui/stories/${STORY}`, '.card');
    const claimId = await openClaim('Fighters who left on the buses (live)');
    const card = page.locator(`.card[data-claim-id="${claimId}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('unsourced');

    const [first] = twoVoices();
    await report(claimId, first.sourceId, 250, '2017-10-14T09:00:00Z');
    await page.waitForSelector(`.card[data-claim-id="${claimId}"][data-status=single-source]`);
    expect(await card.locator('.values').innerText()).toContain('250 fighters');
    expect(await page.getAttribute('#live-state', 'data-state')).toBe('live');
    await browser.screenshot(page, 'story-page-live');
    await page.close();
  });

  it('claim page at the present: a reported statement appears as a new mark in a new lane', async () => {
    const [first, second] = twoVoices();
    const claimId = await openClaim('Fighters still in the stadium (live)');
    const one = await report(claimId, first.sourceId, 100, '2017-10-14T09:00:00Z');
    const page = await open(`/ui/claims/${claimId}`, 'svg.timeline .mark');
    expect(await marks(page)).toEqual([one]);
    expect(await page.locator('svg.timeline g.lane').count()).toBe(1);

    const two = await report(claimId, second.sourceId, 300, '2017-10-14T15:00:00Z');
    await page.waitForSelector(`.mark[data-statement-id="${two}"]`);
    expect((await marks(page)).sort()).toEqual([one, two].sort());
    expect(
      (
        await page
          .locator('svg.timeline g.lane')
          .evaluateAll((n) => n.map((l) => l.getAttribute('data-voice')))
      ).sort(),
    ).toEqual([first.voice, second.voice].sort());
    // The view now: two voices, two figures.
    const now = (await api.get(`/claims/${claimId}`)).body;
    expect(await page.getAttribute('#claim-status', 'data-status')).toBe(now.status);
    expect(await page.inputValue('#as-of')).toBe(await page.getAttribute('#as-of', 'max'));
    expect(page.url()).not.toContain('asOfPosition');
    await browser.screenshot(page, 'claim-page-live');
    await page.close();
  });

  it('claim page at a chosen cut: new events lengthen the band and the slider, the picture stays', async () => {
    const [first, second] = twoVoices();
    const claimId = await openClaim('Fighters in the hospital (live)');
    const one = await report(claimId, first.sourceId, 40, '2017-10-14T09:00:00Z');
    await report(claimId, first.sourceId, 45, '2017-10-14T12:00:00Z');
    const page = await open(`/ui/claims/${claimId}`, 'svg.timeline .mark');
    const steps = await page.locator('.band-step').count();
    // Back one step: the claim as known after the first statement.
    await page.focus('#as-of');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => location.search.includes('asOfPosition='));
    const cutUrl = page.url();
    expect(await marks(page)).toEqual([one]);

    const three = await report(claimId, second.sourceId, 60, '2017-10-14T15:00:00Z');
    await page.waitForFunction(
      (count) => document.querySelectorAll('.band-step').length === count,
      steps + 1,
    );
    expect(await page.getAttribute('#as-of', 'max')).toBe(String(steps));
    expect(await page.inputValue('#as-of')).toBe(String(steps - 2));
    expect(await page.locator(`.mark[data-statement-id="${three}"]`).count()).toBe(0);
    expect(await marks(page)).toEqual([one]);
    expect(page.url()).toBe(cutUrl);

    // Back at the present, the new statement is there.
    await page.keyboard.press('End');
    await page.waitForSelector(`.mark[data-statement-id="${three}"]`);
    await browser.screenshot(page, 'claim-page-live-cut');
    await page.close();
  });
});
