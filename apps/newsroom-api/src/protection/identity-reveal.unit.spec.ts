import { protectedSourcePlaceholder, type SourceIdentityProtection } from '@app/claims';
import { ProtectionError } from '@app/protection';
import { IdentityReveal } from './identity-reveal';

const P = 'p-1';
const SHREDDED = 'p-2';
const identities: Record<string, { name: string; nameLatin?: string; role?: string }> = {
  [P]: { name: 'زبير', nameLatin: 'Zubayr', role: 'driver' },
};
const fake = (failing = false) =>
  ({
    identityOf: (id: string) =>
      failing
        ? Promise.reject(new ProtectionError('MASTER_KEY_UNKNOWN', 'x'))
        : Promise.resolve(identities[id]),
  }) as unknown as SourceIdentityProtection;

describe('IdentityReveal (for readers with sources:identity)', () => {
  const claim = {
    claimId: 'c-1',
    positions: [
      {
        sourceId: P,
        voice: P,
        voiceName: protectedSourcePlaceholder(P),
        sourceName: protectedSourcePlaceholder(P),
      },
      { sourceId: 'o-1', voice: 'o-1', voiceName: 'SDF' },
    ],
    conflicts: [
      { a: { voices: [{ voice: P, voiceName: protectedSourcePlaceholder(P) }] }, b: { voices: [] } },
    ],
  };

  it('names every placeholder of a protected source the answer names, wherever it is inlined', async () => {
    const revealed = JSON.parse(await new IdentityReveal(fake()).reveal(JSON.stringify(claim)));
    expect(revealed.positions[0]).toMatchObject({ voiceName: 'زبير', sourceName: 'زبير' });
    expect(revealed.positions[1].voiceName).toBe('SDF');
    expect(revealed.conflicts[0].a.voices[0].voiceName).toBe('زبير');
  });

  it('gives a protected source record its latin name and role back', async () => {
    const record = { sourceId: P, name: protectedSourcePlaceholder(P), kind: 'person', protected: true };
    expect(JSON.parse(await new IdentityReveal(fake()).reveal(JSON.stringify(record)))).toEqual({
      ...record,
      name: 'زبير',
      nameLatin: 'Zubayr',
      role: 'driver',
    });
  });

  it('leaves the answer as it was for a shredded source, and when a key cannot be opened', async () => {
    const shredded = JSON.stringify({
      sourceId: SHREDDED,
      name: protectedSourcePlaceholder(SHREDDED),
      protected: true,
    });
    expect(await new IdentityReveal(fake()).reveal(shredded)).toBe(shredded);
    const text = JSON.stringify(claim);
    expect(await new IdentityReveal(fake(true)).reveal(text)).toBe(text);
  });

  it('never names a placeholder whose source the answer does not name', async () => {
    const text = JSON.stringify({ note: protectedSourcePlaceholder(P) });
    expect(await new IdentityReveal(fake()).reveal(text)).toBe(text);
  });
});
