import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 10's values and small fields over HTTP (runs on SQLite, and on PostgreSQL with
 * E2E_EVENT_STORE=postgres): folded text, open-ended quantities, zoned dates and times, hedges,
 * translated quotes, new channel kinds, retraction faults, and what agreeing voices agree on.
 */
describe('values over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  async function organization(name: string): Promise<string> {
    const res = await api.post('/sources', { name, kind: 'organization' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function claim(valueKind: string, extra: object = {}): Promise<string> {
    const res = await api.post('/claims', {
      storyId: 'story-values',
      proposition: { text: 'A proposition of the second story', language: 'en' },
      valueKind,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function report(claimId: string, body: object): Promise<string> {
    const res = await api.post(`/claims/${claimId}/statements`, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('reads عسيري and عسيرى as one text value: corroborated, not contested', async () => {
    const [a, b] = [await organization('Anadolu'), await organization('Al Jazeera')];
    const c = await claim('text');
    await report(c, statementBody(a, 'affirms', 'ماهر عبد العزيز مطرب عسيري', '2018-10-18T09:00:00Z'));
    await report(c, statementBody(b, 'affirms', 'ماهر عبد العزيز مطرب عسيرى', '2018-10-18T10:00:00Z'));
    const read = await api.get(`/claims/${c}`);
    expect(read.body).toMatchObject({ status: 'corroborated', conflicts: [] });
    expect(read.body.values).toHaveLength(1);
    expect(read.body.values[0].voices).toHaveLength(2);
  });

  it('accepts "at least 15" and reads it compatible with 16; "at most 10" against 16 is contested', async () => {
    const [a, b, c3] = [
      await organization('Prosecutor A'),
      await organization('Ministry B'),
      await organization('C'),
    ];
    const c = await claim('quantity', { unit: 'suspects' });
    await report(c, statementBody(a, 'affirms', { min: 15 }, '2018-10-18T09:00:00Z'));
    await report(c, statementBody(b, 'affirms', { exact: 16 }, '2018-10-18T10:00:00Z'));
    const agreed = await api.get(`/claims/${c}`);
    expect(agreed.body).toMatchObject({ status: 'corroborated', agreedValue: { exact: 16 } });
    expect(agreed.body.positions.map((p: { value: unknown }) => p.value)).toContainEqual({ min: 15 });
    await report(c, statementBody(c3, 'affirms', { max: 10 }, '2018-10-18T11:00:00Z'));
    expect((await api.get(`/claims/${c}`)).body.status).toBe('contested');
  });

  it('reads "Friday 19 October" (New York) and "Saturday 20 October 03:00" (Amman) as compatible', async () => {
    const [a, b] = [await organization('US official'), await organization('Jordanian official')];
    const c = await claim('date');
    const ny = { date: '2018-10-19', precision: 'day', timeZone: 'America/New_York' };
    const amman = { date: '2018-10-20T03:00', precision: 'minute', timeZone: 'Asia/Amman' };
    await report(c, statementBody(a, 'affirms', ny, '2018-10-20T12:00:00Z'));
    await report(c, statementBody(b, 'affirms', amman, '2018-10-20T13:00:00Z'));
    const read = await api.get(`/claims/${c}`);
    expect(read.body).toMatchObject({ status: 'corroborated', agreedValue: amman, conflicts: [] });
    // Without time zones the same two days are two calendar dates, and contested.
    const d = await claim('date');
    await report(d, statementBody(a, 'affirms', { date: '2018-10-19', precision: 'day' }));
    await report(d, statementBody(b, 'affirms', { date: '2018-10-20', precision: 'day' }));
    expect((await api.get(`/claims/${d}`)).body.status).toBe('contested');
  });

  it('accepts a CCTV time to the minute and refuses an unknown time zone as a 422 naming the field', async () => {
    const a = await organization('Sabah');
    const c = await claim('date');
    const cctv = { date: '2018-10-02T13:14', precision: 'minute', timeZone: 'Europe/Istanbul' };
    await report(c, statementBody(a, 'affirms', cctv));
    expect((await api.get(`/claims/${c}`)).body.agreedValue).toEqual(cctv);
    const bad = await api.post(
      `/claims/${c}/statements`,
      statementBody(a, 'affirms', {
        date: '2018-10-02T13:14',
        precision: 'minute',
        timeZone: 'Mars/Olympus',
      }),
    );
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('value.timeZone');
  });

  it('keeps a hedged figure (uncertain with a value) on show without asserting it', async () => {
    const [a, b] = [await organization('Official'), await organization('Lawmaker')];
    const c = await claim('quantity', { unit: 'people' });
    await report(c, statementBody(a, 'affirms', { exact: 18 }));
    await report(c, statementBody(b, 'uncertain', { approx: 20 }));
    const read = await api.get(`/claims/${c}`);
    expect(read.body).toMatchObject({ status: 'single-source', agreedValue: { exact: 18 } });
    expect(read.body.positions).toContainEqual(
      expect.objectContaining({ sourceId: b, stance: 'uncertain', value: { approx: 20 } }),
    );
  });

  it('records a translated quote, a video channel and whose error a retraction was', async () => {
    const a = await organization('President');
    const c = await claim('boolean');
    const body = {
      ...statementBody(a, 'affirms', true),
      quote: { text: 'We will reveal the naked truth', language: 'en', translatedFrom: 'tr' },
      via: { outlet: 'TRT', kind: 'video' },
    };
    const s = await report(c, body);
    const read = await api.get(`/claims/${c}`);
    expect(read.body.positions[0]).toMatchObject({ quote: body.quote, via: { kind: 'video' } });
    const retraction = await api.post(`/claims/${c}/statements/${s}/retraction`, {
      reason: 'misattributed',
      faultOf: 'channel',
    });
    expect(retraction.status).toBe(201);
    const history = await api.get(`/claims/${c}/statements`);
    expect(history.body.items[0].retraction).toMatchObject({ reason: 'misattributed', faultOf: 'channel' });
    const timeline = await api.get(`/claims/${c}/timeline`);
    expect(timeline.body.entries.at(-1)).toMatchObject({ type: 'StatementRetracted', faultOf: 'channel' });
    const badFault = await api.post(`/claims/${c}/statements/${s}/retraction`, {
      reason: 'other',
      faultOf: 'reader',
    });
    expect(badFault.status).toBe(400);
  });

  it('reads a varying count of 18 and then 21 from two voices as not contested, 21 the latest figure', async () => {
    const [a, b, c3] = [
      await organization('Prosecutor'),
      await organization('Ministry'),
      await organization('NGO'),
    ];
    const c = await claim('quantity', { unit: 'people detained', varies: true });
    const oct19 = { at: '2018-10-19T12:00:00Z', precision: 'day' };
    const oct21 = { at: '2018-10-21T12:00:00Z', precision: 'day' };
    const first = await api.post(`/claims/${c}/statements`, {
      ...statementBody(a, 'affirms', { exact: 18 }, '2018-10-19T15:00:00Z'),
      asOf: oct19,
    });
    expect(first.status).toBe(201);
    await report(c, { ...statementBody(b, 'affirms', { exact: 21 }, '2018-10-21T15:00:00Z'), asOf: oct21 });
    // The claim as recorded before the second figure: 18 was then the latest.
    const cut = await api.get(`/claims/${c}?asOfPosition=${first.body.position}`);
    expect(cut.body).toMatchObject({ status: 'single-source', latestFigure: { value: { exact: 18 } } });
    const read = await api.get(`/claims/${c}`);
    expect(read.body).toMatchObject({ varies: true, conflicts: [], agreedValue: { exact: 21 } });
    expect(read.body.status).not.toBe('contested');
    expect(read.body.latestFigure).toEqual({ value: { exact: 21 }, asOf: oct21, voices: [b] });
    expect(read.body.values).toEqual([
      { value: { exact: 18 }, asOf: oct19, voices: [a] },
      { value: { exact: 21 }, asOf: oct21, voices: [b] },
    ]);
    // A third voice with another figure for the 19th: that moment is contested.
    await report(c, { ...statementBody(c3, 'affirms', { exact: 15 }, '2018-10-22T15:00:00Z'), asOf: oct19 });
    const contested = await api.get(`/claims/${c}`);
    expect(contested.body.status).toBe('contested');
    expect(contested.body.conflicts[0].a.asOf).toEqual(oct19);
    // A moment on a claim that does not vary is refused.
    const fixed = await claim('quantity', { unit: 'people' });
    const refused = await api.post(`/claims/${fixed}/statements`, {
      ...statementBody(a, 'affirms', { exact: 18 }),
      asOf: oct19,
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('asOf');
  });

  it('tells "agreed false" from "agreed true" in the summaries', async () => {
    const [a, b] = [await organization('Government'), await organization('Ally')];
    const no = await claim('boolean');
    await report(no, statementBody(a, 'denies'));
    await report(no, statementBody(b, 'affirms', false));
    const yes = await claim('boolean');
    await report(yes, statementBody(a, 'affirms', true));
    await report(yes, statementBody(b, 'affirms', true));
    const page = await api.get('/claims?storyId=story-values&status=corroborated&limit=50');
    const byId = new Map(page.body.items.map((item: { claimId: string }) => [item.claimId, item]));
    expect(byId.get(no)).toMatchObject({ status: 'corroborated', agreedValue: false });
    expect(byId.get(yes)).toMatchObject({ status: 'corroborated', agreedValue: true });
  });
});
