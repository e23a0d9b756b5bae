import { KEYS, type TestApp } from '../support/test-app';
import type { TestBrowser } from './support/browser';
import { type PagesFixture, startPagesFixture, STORY } from './support/fixture';

/**
 * The fields of the domain's second round on the pages (decision 0018): a varying claim's figures
 * with the moment each describes and its latest figure, a retraction's fault, a quote we have only
 * in translation. Each test leaves a screenshot in test/artifacts/.
 */
describe('the pages show a varying claim, a retraction’s fault and a translated quote', () => {
  let fixture: PagesFixture;
  let api: TestApp;
  let browser: TestBrowser;
  let claimId: string;
  let translated: string;
  let retracted: string;

  beforeAll(async () => {
    fixture = await startPagesFixture();
    ({ api, browser } = fixture);
    const [a, b] = [
      ...new Map<string, string>(fixture.claim.positions.map((p: any) => [p.voice, p.sourceId])).values(),
    ] as [string, string];
    const opened = await api.post('/claims', {
      storyId: STORY,
      proposition: { text: 'Fighters still inside the city', language: 'en' },
      valueKind: 'quantity',
      unit: 'fighters',
      varies: true,
    });
    expect(opened.status).toBe(201);
    claimId = opened.body.id;
    const report = async (sourceId: string, exact: number, asOf: string, quote: object) => {
      const reported = await api.post(`/claims/${claimId}/statements`, {
        sourceId,
        stance: 'affirms',
        value: { exact },
        asOf: { at: asOf, precision: 'day' },
        quote,
        statedAt: { at: asOf, precision: 'day' },
        attribution: 'on-record',
      });
      expect(reported.status).toBe(201);
      return reported.body.id as string;
    };
    await report(a, 400, '2017-10-12T21:00:00Z', { text: '400', language: 'en' });
    translated = await report(b, 300, '2017-10-13T21:00:00Z', {
      text: 'About 300 fighters remain',
      language: 'en',
      translatedFrom: 'ar',
    });
    retracted = await report(a, 350, '2017-10-13T21:00:00Z', { text: '350', language: 'en' });
    const retraction = await api.post(`/claims/${claimId}/statements/${retracted}/retraction`, {
      reason: 'outlet-corrected',
      faultOf: 'channel',
    });
    expect(retraction.status).toBe(201);
  }, 240_000);
  afterAll(() => fixture?.close());

  it('story page: the card gives each figure its moment, and the latest figure', async () => {
    const summary = (await api.get(`/claims/${claimId}`)).body;
    expect(summary.varies).toBe(true);
    expect(summary.latestFigure.value).toEqual({ exact: 300 });
    const page = await browser.open(`${api.url}/ui/stories/${STORY}`, KEYS.reporter);
    const card = page.locator(`.card[data-claim-id="${claimId}"]`);
    await card.waitFor();
    expect(await card.locator('.latest-figure').innerText()).toMatch(/^Latest figure: 300 fighters \(as of /);
    const values = await card.locator('.values li').allInnerTexts();
    expect(values).toHaveLength(summary.values.length);
    for (const value of values) expect(value).toMatch(/fighters \(as of .*\) — /);
    await browser.screenshot(page, 'story-page-varying');
    await page.close();
  });

  it('claim page: the retraction says whose fault it was; the translated quote, what it was said in', async () => {
    const page = await browser.open(`${api.url}/ui/claims/${claimId}`, KEYS.reporter);
    await page.waitForSelector('svg.timeline .mark');
    expect(await page.locator('#claim-state .latest-figure').innerText()).toContain('300 fighters');
    const row = page.locator(`tr.statement[data-statement-id="${retracted}"]`);
    expect(await row.locator('td').last().innerText()).toBe(
      'retracted (outlet-corrected; fault of the channel)',
    );
    expect(
      await page.locator(`tr.statement[data-statement-id="${translated}"] .translated-from`).innerText(),
    ).toBe('Quoted in translation; said in Arabic');
    await page.locator(`.mark[data-statement-id="${translated}"]`).focus();
    expect(await page.locator('#mark-detail .translated-from').innerText()).toBe(
      'Quoted in translation; said in Arabic',
    );
    expect(await page.locator('#mark-detail .detail-when').innerText()).toContain('figure as of');
    await browser.screenshot(page, 'claim-page-varying');
    await page.close();
  });
});
