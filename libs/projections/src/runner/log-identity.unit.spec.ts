import { describeLog, sameLog } from './log-identity';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('read models and the log they were built from', () => {
  it.each([
    [
      'the same log and first event',
      { logId: 'x', firstEventHash: A },
      { logId: 'x', firstEventHash: A },
      true,
    ],
    [
      'built while the log was empty',
      { logId: 'x', firstEventHash: null },
      { logId: 'x', firstEventHash: A },
      true,
    ],
    ['another log id', { logId: 'x', firstEventHash: A }, { logId: 'y', firstEventHash: A }, false],
    ['another first event', { logId: 'x', firstEventHash: A }, { logId: 'x', firstEventHash: B }, false],
    [
      'another log id, both empty',
      { logId: 'x', firstEventHash: null },
      { logId: 'y', firstEventHash: null },
      false,
    ],
  ])('%s', (_name, built, log, same) => {
    expect(sameLog(built, log)).toBe(same);
  });

  it('names both parts of an identity in the warning', () => {
    expect(describeLog({ logId: 'x', firstEventHash: A })).toBe(`log x (first event ${A})`);
    expect(describeLog({ logId: 'x', firstEventHash: null })).toBe('log x (empty)');
    expect(describeLog(undefined)).toBe('an unrecorded log');
  });
});
