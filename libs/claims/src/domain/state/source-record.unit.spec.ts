import type { SourceEvent } from '../source.events';
import { deepFreeze } from './claim-stream.fixture';
import { protectedSourcePlaceholder } from './protected-placeholder';
import { evolveSourceRecord, type SourceRecord, voiceOf, voiceOfLoaded } from './source-record';
import { StreamInvariantError } from './stream-invariant.error';

const registerSilo: SourceEvent = {
  type: 'SourceRegistered',
  data: {
    protected: false,
    affiliationId: 'sdf',
    role: 'spokesman',
    kind: 'person',
    nameLatin: 'Talal Silo',
    name: 'طلال سلو',
    sourceId: 'silo',
  },
};

describe('evolveSourceRecord', () => {
  it('registers a source with a fixed key order, whatever order the stored data has', () => {
    const record = evolveSourceRecord(undefined, registerSilo);
    expect(JSON.stringify(record)).toBe(
      JSON.stringify({
        sourceId: 'silo',
        name: 'طلال سلو',
        nameLatin: 'Talal Silo',
        kind: 'person',
        role: 'spokesman',
        affiliationId: 'sdf',
        protected: false,
      }),
    );
  });

  it('stores no key for an absent optional field', () => {
    const record = evolveSourceRecord(undefined, {
      type: 'SourceRegistered',
      data: { sourceId: 'sohr', name: 'SOHR', kind: 'organization', protected: false },
    });
    expect(Object.keys(record)).toEqual(['sourceId', 'name', 'kind', 'protected']);
  });

  it('amends: a value replaces, null clears, absence keeps', () => {
    const before = deepFreeze(evolveSourceRecord(undefined, registerSilo));
    const after = evolveSourceRecord(before, {
      type: 'SourceAmended',
      data: {
        sourceId: 'silo',
        changes: { name: 'Talal Silo', affiliationId: null, role: 'former spokesman' },
        reason: 'defected',
      },
    });
    expect(after).toEqual<SourceRecord>({
      sourceId: 'silo',
      name: 'Talal Silo',
      nameLatin: 'Talal Silo',
      kind: 'person',
      role: 'former spokesman',
      protected: false,
    });
    expect('affiliationId' in after).toBe(false);
    expect(before.affiliationId).toBe('sdf');
  });

  it('refuses an amendment before registration, and a second registration', () => {
    expect(() =>
      evolveSourceRecord(undefined, {
        type: 'SourceAmended',
        data: { sourceId: 'x', changes: { name: 'X' }, reason: 'r' },
      }),
    ).toThrow(StreamInvariantError);
    const record = evolveSourceRecord(undefined, registerSilo);
    expect(() => evolveSourceRecord(record, registerSilo)).toThrow(StreamInvariantError);
  });
});

describe('voiceOf', () => {
  const base = { name: 'n', protected: false } as const;

  it('gives an affiliated person the organization voice', () => {
    expect(voiceOf({ ...base, sourceId: 'silo', kind: 'person', affiliationId: 'sdf' })).toBe('sdf');
  });

  it('gives everyone else their own voice', () => {
    expect(voiceOf({ ...base, sourceId: 'alloush', kind: 'person' })).toBe('alloush');
    expect(voiceOf({ ...base, sourceId: 'sdf', kind: 'organization' })).toBe('sdf');
    expect(voiceOf({ ...base, sourceId: 'local', kind: 'anonymous' })).toBe('local');
  });

  it('does not fold a group or an outlet into an affiliation', () => {
    expect(voiceOf({ ...base, sourceId: 'elders', kind: 'group', affiliationId: 'sdf' })).toBe('elders');
    expect(voiceOf({ ...base, sourceId: 'reuters', kind: 'outlet', affiliationId: 'sdf' })).toBe('reuters');
  });

  describe('chains (issue 10)', () => {
    const presidency = { ...base, sourceId: 'presidency', kind: 'organization' } as const;
    const prosecutor = {
      ...base,
      sourceId: 'prosecutor',
      kind: 'organization',
      affiliationId: 'presidency',
    } as const;
    const official = { ...base, sourceId: 'official', kind: 'person', affiliationId: 'prosecutor' } as const;
    const anonymous = { ...base, sourceId: 'anon', kind: 'anonymous', affiliationId: 'presidency' } as const;
    const byId = new Map<string, SourceRecord>(
      [presidency, prosecutor, official, anonymous].map((s) => [s.sourceId, s]),
    );
    const sources = (id: string) => byId.get(id);

    it('given anonymous officials affiliated with a government, when voiced, then the government', () => {
      expect(voiceOf(anonymous, sources)).toBe('presidency');
    });

    it('given a person of an office that is part of a state, when voiced, then the top of the chain', () => {
      expect(voiceOf(official, sources)).toBe('presidency');
      expect(voiceOf(prosecutor, sources)).toBe('presidency');
      expect(voiceOf(presidency, sources)).toBe('presidency');
    });

    it('given no lookup, when voiced, then only the first link is followed', () => {
      expect(voiceOf(official)).toBe('prosecutor');
    });

    it('given a cycle that racing amendments closed, when voiced, then it ends instead of looping', () => {
      const a = { ...base, sourceId: 'a', kind: 'organization', affiliationId: 'b' } as const;
      const b = { ...base, sourceId: 'b', kind: 'organization', affiliationId: 'a' } as const;
      const cyclic = new Map<string, SourceRecord>([a, b].map((s) => [s.sourceId, s]));
      expect(voiceOf(a, (id) => cyclic.get(id))).toBe('b');
      expect(voiceOf(b, (id) => cyclic.get(id))).toBe('a');
    });

    it('resolves the same chain when the lookups are asynchronous', async () => {
      await expect(voiceOfLoaded(official, (id) => Promise.resolve(byId.get(id)))).resolves.toBe(
        'presidency',
      );
    });
  });
});

describe('evolveSourceRecord for a protected source', () => {
  const registerProtected: SourceEvent = {
    type: 'SourceRegistered',
    data: {
      sourceId: 'p-1',
      name: 'sealed:v1:AAAA',
      nameLatin: 'sealed:v1:BBBB',
      kind: 'person',
      role: 'sealed:v1:CCCC',
      affiliationId: 'sdf',
      protected: true,
    },
  };

  it('keeps neither the identity nor its ciphertext: a stable placeholder, kind and affiliation only', () => {
    const record = evolveSourceRecord(undefined, registerProtected);
    expect(record).toEqual({
      sourceId: 'p-1',
      name: protectedSourcePlaceholder('p-1'),
      kind: 'person',
      affiliationId: 'sdf',
      protected: true,
    });
    expect(voiceOf(record)).toBe('sdf');
    expect(protectedSourcePlaceholder('p-1')).toMatch(/^Protected source [0-9a-f]{8}$/);
    expect(protectedSourcePlaceholder('p-2')).not.toBe(protectedSourcePlaceholder('p-1'));
  });

  it('hides a clear identity too (logs written before sealing), and after amendments and shredding', () => {
    const legacy = evolveSourceRecord(undefined, {
      type: 'SourceRegistered',
      data: { sourceId: 'p-1', name: 'Abu Leila', kind: 'person', protected: true },
    });
    expect(JSON.stringify(legacy)).not.toContain('Abu Leila');
    const amended = evolveSourceRecord(legacy, {
      type: 'SourceAmended',
      data: { sourceId: 'p-1', changes: { role: 'driver', affiliationId: 'sdf' }, reason: 'r' },
    });
    expect(amended).toEqual({ ...legacy, affiliationId: 'sdf' });
    const shredded = evolveSourceRecord(amended, {
      type: 'SourceIdentityShredded',
      data: { sourceId: 'p-1', reason: 'asked', shreddedBy: 'admin' },
    });
    expect(shredded).toEqual({ ...amended, shredded: true });
    expect(() =>
      evolveSourceRecord(undefined, {
        type: 'SourceIdentityShredded',
        data: { sourceId: 'p-1', reason: 'asked', shreddedBy: 'admin' },
      }),
    ).toThrow(StreamInvariantError);
  });
});
