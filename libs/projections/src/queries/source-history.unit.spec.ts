import type { SourceEvent } from '@app/claims';
import { SourceHistory } from './source-history';

const registered: SourceEvent = {
  type: 'SourceRegistered',
  data: { sourceId: 'silo', name: 'Talal Silo', kind: 'person', protected: false },
};
const affiliated: SourceEvent = {
  type: 'SourceAmended',
  data: { sourceId: 'silo', changes: { affiliationId: 'sdf' }, reason: 'spokesman' },
};

describe('SourceHistory', () => {
  it('answers any cut up to what was read, each with the version of the time', () => {
    const history = new SourceHistory();
    expect(history.at('silo', 10n)).toBe('unknown');
    history.remember('silo', 50n, [
      { position: 5n, event: registered },
      { position: 20n, event: affiliated },
    ]);
    expect(history.at('silo', 4n)).toBeUndefined();
    expect(history.at('silo', 19n)).toMatchObject({ name: 'Talal Silo' });
    expect(history.at('silo', 19n)).not.toHaveProperty('affiliationId');
    expect(history.at('silo', 50n)).toMatchObject({ affiliationId: 'sdf' });
    // Past what was read, later appends may exist: the cache does not say.
    expect(history.at('silo', 51n)).toBe('unknown');
  });

  it('forgets the least recently used source beyond its bound', () => {
    const history = new SourceHistory(2);
    history.remember('a', 10n, []);
    history.remember('b', 10n, []);
    history.at('a', 10n);
    history.remember('c', 10n, []);
    expect(history.at('b', 10n)).toBe('unknown');
    expect(history.at('a', 10n)).toBeUndefined();
  });
});
