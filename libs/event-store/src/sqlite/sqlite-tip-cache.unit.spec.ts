import { TipCache } from './sqlite-tip-cache';

const tip = (version: number) => ({ version, lastHash: `h${version}` });

describe('TipCache', () => {
  it('keeps tips across transactions while the stamp is the one read at the last commit', () => {
    const cache = new TipCache(10);
    cache.validate('1:0');
    cache.set('a', tip(1));
    cache.committed('1:1');
    cache.validate('1:1');
    expect(cache.get('a')).toEqual(tip(1));
  });

  it.each([
    ['another connection committed', '2:1'],
    ['something else changed rows on this connection', '1:2'],
  ])('forgets every tip when %s', (_name, stamp) => {
    const cache = new TipCache(10);
    cache.validate('1:0');
    cache.set('a', tip(1));
    cache.committed('1:1');
    cache.validate(stamp);
    expect(cache.get('a')).toBeUndefined();
  });

  it('trusts nothing before its first commit, nor after forget', () => {
    const cache = new TipCache(10);
    cache.set('a', tip(1));
    cache.validate('1:1');
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', tip(1));
    cache.committed('1:1');
    cache.forget();
    cache.validate('1:1');
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most its bound, dropping the stream set longest ago', () => {
    const cache = new TipCache(2);
    cache.set('a', tip(1));
    cache.set('b', tip(1));
    cache.set('a', tip(2));
    cache.set('c', tip(1));
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([tip(2), undefined, tip(1)]);
  });
});
