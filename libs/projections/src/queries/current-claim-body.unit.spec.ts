import { withEmptyCut } from './read-query.handlers';

describe('the current claim read answers the stored bytes with the empty cut', () => {
  it('replaces the closing brace of the stored view, keeping non-ASCII text as it was stored', () => {
    const view = { claimId: 'c-1', quote: 'قال المتحدث إن العدد تجاوز المئة', streamVersion: 3 };
    const body = withEmptyCut(Buffer.from(JSON.stringify(view)));
    expect(JSON.parse(body.toString('utf8'))).toEqual({ ...view, cut: {} });
  });

  it('refuses bytes that are not a JSON object rather than answer broken JSON', () => {
    expect(() => withEmptyCut(Buffer.from('[1,2]'))).toThrow('not a JSON object');
  });
});
