import { TipCache } from './sqlite-tip-cache';

const tip = (version: number) => ({ version, lastHash: `h${version}` });

describe('TipCache', () => {
  it('keeps tips across transactions while the stamp is the one read at the last commit', () => {
    const cache = new TipCache(10);
    cache.validate(1);
    cache.set('a', tip(1));
    cache.committed(1);
    cache.validate(1);
    expect(cache.get('a')).toEqual(tip(1));
  });

  it('forgets every tip when another connection committed since (data_version moved)', () => {
    const cache = new TipCache(10);
    cache.validate(1);
    cache.set('a', tip(1));
    cache.committed(1);
    cache.validate(2);
    expect(cache.get('a')).toBeUndefined();
  });

  it('trusts nothing before its first commit, nor after forget', () => {
    const cache = new TipCache(10);
    cache.set('a', tip(1));
    cache.validate(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', tip(1));
    cache.committed(1);
    cache.forget();
    cache.validate(1);
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
