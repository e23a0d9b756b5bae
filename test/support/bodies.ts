import type { TestApp } from './test-app';

/** A statement body as API.md defines it, on the foreign-fighters quote; tests vary what they need. */
export const statementBody = (
  sourceId: string,
  stance: string,
  value?: unknown,
  at = '2017-10-14T09:00:00Z',
) => ({
  sourceId,
  stance,
  ...(value === undefined ? {} : { value }),
  quote: {
    text: 'نعم.. المقاتلون الأجانب ضمن الاتفاق',
    language: 'ar',
    translation: { text: 'Yes', language: 'en' },
  },
  statedAt: { at, precision: 'hour' },
  via: { outlet: 'AFP', kind: 'wire' },
  attribution: 'on-record',
});

/** A boolean claim's body on the convoy's fighters, in a story of the test's own. */
export const convoyClaimBody = (storyId: string) => ({
  storyId,
  proposition: { text: 'The convoy carried foreign fighters', language: 'en' },
  valueKind: 'boolean',
});

/** POSTs a creating command and returns the new id; a test fails here, naming the path, on any other answer. */
export async function createdId(api: TestApp, path: string, body: object): Promise<string> {
  const res = await api.post<{ id: string }>(path, body);
  expect([path, res.status]).toEqual([path, 201]);
  return res.body.id;
}
