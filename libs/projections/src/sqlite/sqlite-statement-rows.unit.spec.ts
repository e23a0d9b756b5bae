import type { StatementRecord } from '@app/claims';
import { decodeStatement, encodeStatement } from './sqlite-statement-rows';

const fields = (text: string, at = '2017-10-14T00:00:00.000Z') => ({
  stance: 'affirms' as const,
  value: true,
  quote: { text, language: 'ar' },
  statedAt: { at, precision: 'day' as const },
  attribution: 'on-record' as const,
});

const reported: StatementRecord = {
  statementId: 'st1',
  sourceId: 'council',
  original: fields('نعم'),
  current: fields('نعم'),
  reportedPosition: '12',
  recordedAt: '2017-10-15T09:00:12.000Z',
  corrections: [],
};

const corrected: StatementRecord = {
  ...reported,
  current: fields('نعم', '2017-10-13T00:00:00.000Z'),
  corrections: [
    {
      position: '14',
      recordedAt: '2017-10-15T09:00:14.000Z',
      reason: 'date',
      changes: { statedAt: { at: '2017-10-13T00:00:00.000Z', precision: 'day' } },
    },
  ],
  retraction: { reason: 'misattributed', position: '20', recordedAt: '2017-10-15T09:00:20.000Z' },
  absorbed: { from: 'c0', position: '30' },
};

describe('statement rows (rm_statements.record)', () => {
  it.each([
    ['never corrected, one fields object', { ...reported, current: reported.original }],
    ['never corrected, equal copies', reported],
    ['corrected, retracted and absorbed', corrected],
  ])('read back as written, key order included: %s', (_name, statement) => {
    const back = decodeStatement(encodeStatement(statement));
    expect(back).toEqual(statement);
    expect(JSON.stringify(back)).toBe(JSON.stringify(statement));
  });

  it('leaves out `current` only when it equals `original`', () => {
    expect(JSON.parse(encodeStatement(reported))).not.toHaveProperty('current');
    expect(encodeStatement(reported).length).toBeLessThan(JSON.stringify(reported).length);
    expect(JSON.parse(encodeStatement(corrected))).toHaveProperty('current', corrected.current);
  });

  it('reads rows written whole (before the encoding) as they are', () => {
    expect(decodeStatement(JSON.stringify(corrected))).toEqual(corrected);
    expect(decodeStatement(JSON.stringify(reported))).toEqual(reported);
  });
});
