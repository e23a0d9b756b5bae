import type { Page } from 'playwright-core';
import { KEYS, type TestApp } from '../support/test-app';
import type { TestBrowser } from './support/browser';
import { type PagesFixture, startPagesFixture, STORY } from './support/fixture';

/**
 * GET /ui/claims/{claimId} (issue 11) in headless Chromium over the demo: lanes of voices along
 * stated time, conflicts as links, the recorded-time band and both cuts. Each test leaves a
 * screenshot in test/artifacts/.
 */
describe('the claim page in Chromium', () => {
  let fixture: PagesFixture;
  let api: TestApp;
  let browser: TestBrowser;
  let claim: any;
  let entries: any[];

  beforeAll(async () => {
    fixture = await startPagesFixture();
    ({ api, browser, claim } = fixture);
    entries = (await api.get(`/claims/${claim.claimId}/timeline`)).body.entries;
  }, 240_000);
  afterAll(() => fixture?.close());

  const openClaim = async (claimId: string): Promise<Page> => {
    const page = await browser.open(`${api.url}/ui/claims/${claimId}`, KEYS.reporter);
    await page.waitForSelector('svg.timeline .mark');
    return page;
  };
  const attributes = (page: Page, selector: string, name: string) =>
    page
      .locator(selector)
      .evaluateAll((nodes, attribute) => nodes.map((node) => node.getAttribute(attribute)), name);

  it('draws one lane per voice, a mark per statement shaped by its stance, and the conflict as links', async () => {
    const page = await openClaim(claim.claimId);
    const voices = [...new Set(claim.positions.map((position: any) => position.voice))].sort();
    expect(voices).toHaveLength(4);
    expect((await attributes(page, 'svg.timeline g.lane', 'data-voice')).sort()).toEqual(voices);
    expect(await page.locator('svg.timeline .mark').count()).toBe(claim.statementCounts.total);
    // Colour is not the only signal: denials are squares, affirmations circles, each labelled.
    const denial = page.locator('.mark[data-stance=denies]').first();
    expect(await denial.locator('rect.shape').count()).toBe(1);
    expect(await denial.locator('.mark-label').textContent()).toBe('no');
    expect(await page.locator('.mark[data-stance=affirms]').first().locator('circle.shape').count()).toBe(1);

    const expected = claim.conflicts.flatMap((conflict: any) =>
      conflict.a.voices.flatMap((a: any) =>
        conflict.b.voices.map((b: any) => `${a.statementId}|${b.statementId}`),
      ),
    );
    const links = await page
      .locator('.conflict-link')
      .evaluateAll((nodes) =>
        nodes.map((node) => `${node.getAttribute('data-a')}|${node.getAttribute('data-b')}`),
      );
    expect(links.length).toBeGreaterThan(0);
    expect(links.sort()).toEqual(expected.sort());
    for (const link of links) {
      for (const end of link.split('|'))
        expect(await page.locator(`.mark[data-statement-id="${end}"]`).count()).toBe(1);
    }
    await browser.screenshot(page, 'claim-page');
    await page.close();
  });

  it('moved with the keyboard to before the first denial, shows the claim as it was known then: not contested', async () => {
    const firstDenial = entries.findIndex(
      (entry) => entry.type === 'StatementReported' && entry.statement.stance === 'denies',
    );
    expect(firstDenial).toBeGreaterThan(1);
    const before = entries[firstDenial - 1];
    const page = await openClaim(claim.claimId);
    await page.focus('#as-of');
    await page.keyboard.press('End');
    for (let step = entries.length - 1; step > firstDenial - 1; step--)
      await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (position) => document.querySelector('#as-of-text')?.textContent?.includes(`position ${position},`),
      before.position,
    );
    const then = (await api.get(`/claims/${claim.claimId}?asOfPosition=${before.position}`)).body;
    const status = await page.getAttribute('#claim-status', 'data-status');
    expect(status).not.toBe('contested');
    expect(status).toBe(then.status);
    expect(status).toBe(before.statusAfter);
    expect(await page.locator('.conflict-link').count()).toBe(0);
    const reported = entries.slice(0, firstDenial).filter((entry) => entry.type === 'StatementReported');
    expect(await page.locator('svg.timeline .mark').count()).toBe(reported.length);
    expect(page.url()).toContain(`asOfPosition=${before.position}`);
    await browser.screenshot(page, 'claim-page-before-denial');

    // A click on the band moves the cut to the denial: contested from there on.
    const denial = entries[firstDenial];
    await page.click(`.band-step[data-position="${denial.position}"]`);
    await page.waitForFunction(
      (position) => document.querySelector('#as-of-text')?.textContent?.includes(`position ${position},`),
      denial.position,
    );
    expect(await page.getAttribute('#claim-status', 'data-status')).toBe('contested');
    expect(await page.getAttribute(`.band-step[data-position="${denial.position}"]`, 'aria-pressed')).toBe(
      'true',
    );
    expect(await page.inputValue('#as-of')).toBe(String(firstDenial));
    await page.close();
  });

  it('with "said before" set, leaves out what was said later, as the API does', async () => {
    const page = await openClaim(claim.claimId);
    const cut = '2017-10-14T12:00:00.000Z';
    await page.fill('#stated-before', '2017-10-14T12:00');
    await page.waitForFunction(() => document.querySelector('.cut')?.textContent?.includes('said before'));
    const then = (await api.get(`/claims/${claim.claimId}?statedBefore=${cut}`)).body;
    const statements = (await api.get(`/claims/${claim.claimId}/statements?limit=200`)).body.items;
    const saidBefore = statements.filter((item: any) => Date.parse(item.statedAt.at) < Date.parse(cut));
    expect(saidBefore.length).toBeLessThan(statements.length);
    expect((await attributes(page, 'svg.timeline .mark', 'data-statement-id')).sort()).toEqual(
      saidBefore.map((item: any) => item.statementId).sort(),
    );
    expect(await page.getAttribute('#claim-status', 'data-status')).toBe(then.status);
    expect(page.url()).toContain('statedBefore=');
    await browser.screenshot(page, 'claim-page-said-before');
    await page.close();
  });

  it('shows a focused mark’s Arabic quote right to left, with its translation', async () => {
    const page = await openClaim(claim.claimId);
    const position = claim.positions.find((item: any) => item.quote?.language === 'ar');
    const mark = page.locator(`.mark[data-statement-id="${position.statementId}"]`);
    await mark.focus();
    const quote = page.locator('#mark-detail .quote-original');
    await quote.waitFor();
    expect(await mark.getAttribute('aria-describedby')).toBe('mark-detail');
    expect(await quote.textContent()).toBe(position.quote.text);
    expect(await quote.getAttribute('lang')).toBe('ar');
    expect(await quote.evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    expect(await page.locator('#mark-detail .quote-translation').textContent()).toBe(
      position.quote.translation.text,
    );
    await browser.screenshot(page, 'claim-page-quote');
    await page.close();
  });

  it('greys a superseded statement with an arrow to its replacement, and strikes a retracted one through', async () => {
    // A claim of our own: Silo says 250, then (later) 275; the outlet's 300 is retracted.
    const silo = claim.positions.find((item: any) => item.sourceName === 'طلال سيلو');
    const outlet = (await api.get(`/sources?q=${encodeURIComponent('الجهة الناشرة')}`)).body.items[0];
    const opened = await api.post('/claims', {
      storyId: STORY,
      proposition: { text: 'Number of fighters left in the city', language: 'en' },
      valueKind: 'quantity',
      unit: 'fighters',
    });
    const report = (sourceId: string, exact: number, at: string) =>
      api.post(`/claims/${opened.body.id}/statements`, {
        sourceId,
        stance: 'affirms',
        value: { exact },
        quote: { text: `${exact} مقاتل`, language: 'ar' },
        statedAt: { at, precision: 'hour' },
        attribution: 'on-record',
      });
    const first = await report(silo.sourceId, 250, '2017-10-14T09:00:00Z');
    const second = await report(silo.sourceId, 275, '2017-10-15T09:00:00Z');
    const third = await report(outlet.sourceId, 300, '2017-10-15T10:00:00Z');
    const retracted = await api.post(`/claims/${opened.body.id}/statements/${third.body.id}/retraction`, {
      reason: 'outlet-corrected',
    });
    expect([first.status, second.status, third.status, retracted.status]).toEqual([201, 201, 201, 201]);

    const page = await openClaim(opened.body.id);
    const superseded = page.locator(`.mark.superseded[data-statement-id="${first.body.id}"]`);
    expect(await superseded.count()).toBe(1);
    const arrow = page.locator('.supersession-arrow');
    expect(await arrow.getAttribute('data-from')).toBe(first.body.id);
    expect(await arrow.getAttribute('data-to')).toBe(second.body.id);
    const struck = page.locator(`.mark.retracted[data-statement-id="${third.body.id}"] .mark-label`);
    expect(await struck.evaluate((node) => getComputedStyle(node).textDecorationLine)).toBe('line-through');
    expect(await struck.textContent()).toContain('retracted');
    await browser.screenshot(page, 'claim-page-superseded-retracted');
    await page.close();
  });

  it('marks a corrected statement, drawn with its corrected value', async () => {
    const claims = (await api.get(`/claims?storyId=${STORY}&limit=200`)).body.items;
    const fighters = claims.find((item: any) =>
      item.proposition.text.startsWith('Number of Syrian ISIS fighters'),
    );
    const timeline = (await api.get(`/claims/${fighters.claimId}/timeline`)).body.entries;
    const corrected = timeline.find((entry: any) => entry.type === 'StatementCorrected');
    expect(corrected).toBeDefined();
    const page = await openClaim(fighters.claimId);
    const mark = page.locator(`.mark.corrected[data-statement-id="${corrected.statementId}"]`);
    expect(await mark.locator('.corrected-flag').count()).toBe(1);
    expect(await mark.locator('.mark-label').textContent()).toBe('275 fighters (corrected)');
    await browser.screenshot(page, 'claim-page-corrected');
    await page.close();
  });

  it('shows a relayed statement in the lane of the voice it relays, saying whom it relays', async () => {
    const summaries = (await api.get(`/claims?storyId=${STORY}&limit=200`)).body.items;
    let relay: any;
    let relayClaim: any;
    for (const summary of summaries) {
      const view = (await api.get(`/claims/${summary.claimId}`)).body;
      relay = view.positions.find((item: any) => item.basis !== undefined && item.relay !== undefined);
      relayClaim = view;
      if (relay) break;
    }
    // The demo: SOHR gives French intelligence's belief; it counts with that voice, not SOHR's.
    expect(relay).toBeDefined();
    // The short name the page gives a source: the acronym a Latin name ends with, else that name.
    const shortName = async (sourceId: string) => {
      const source = (await api.get(`/sources/${sourceId}`)).body;
      return (
        /\(([A-Z][A-Za-z0-9.&-]{1,11})\)\s*$/.exec(source.nameLatin ?? '')?.[1] ??
        source.nameLatin ??
        source.name
      );
    };
    expect(relay.voice).not.toBe((await api.get(`/sources/${relay.sourceId}`)).body.voice);
    const page = await openClaim(relayClaim.claimId);
    const mark = page.locator(`.mark[data-statement-id="${relay.statementId}"]`);
    expect(await mark.getAttribute('aria-label')).toContain(
      `(relays ${await shortName(relay.relay.sourceId)})`,
    );
    await mark.focus();
    expect(await page.locator('#mark-detail .detail-relays').innerText()).toBe(
      `relays ${await shortName(relay.relay.sourceId)}`,
    );
    // The table says it in text: the voice it counts with is the relayed one.
    const cells = await page
      .locator(`tr.statement[data-statement-id="${relay.statementId}"] td`)
      .allInnerTexts();
    expect(cells[0]).toBe(await shortName(relay.voice));
    expect(cells[1]).toContain(`relays ${await shortName(relay.relay.sourceId)}`);
    await browser.screenshot(page, 'claim-page-relay');
    await page.close();
  });
});
