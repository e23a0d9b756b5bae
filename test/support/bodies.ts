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
