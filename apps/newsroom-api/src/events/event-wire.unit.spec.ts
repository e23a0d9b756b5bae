import type { StoredEvent } from '@app/event-store';
import { protectedSourcePlaceholder } from '@app/claims';
import { eventToWire } from './event-wire';

const stored = (type: string, data: unknown): StoredEvent =>
  ({
    eventId: 'e-1',
    streamId: 'source-s-1',
    streamVersion: 1,
    position: 7n,
    type,
    schemaVersion: 1,
    data,
    metadata: { principal: 'p', correlationId: 'c', recordedAt: '2026-11-30T16:00:00Z' },
    hash: 'h',
    prevHash: 'p',
  }) as unknown as StoredEvent;

describe('eventToWire', () => {
  it('carries sealed identities as they are stored, so auditors hash what they receive', () => {
    const data = { sourceId: 's-1', name: 'sealed:v1:AAAA', kind: 'person', protected: true };
    expect(eventToWire(stored('SourceRegistered', data))).toMatchObject({ data, position: '7' });
  });

  it('never shows a protected identity stored in the clear before sealing existed', () => {
    const data = {
      sourceId: 's-1',
      name: 'Abu Leila',
      role: 'sealed:v1:BBBB',
      kind: 'person',
      protected: true,
    };
    const wire = eventToWire(stored('SourceRegistered', data));
    expect(wire.data).toEqual({ ...data, name: protectedSourcePlaceholder('s-1') });
    expect(JSON.stringify(wire)).not.toContain('Abu Leila');
  });

  it('leaves unprotected sources and other events untouched', () => {
    const data = { sourceId: 's-1', name: 'SDF', kind: 'organization', protected: false };
    expect(eventToWire(stored('SourceRegistered', data)).data).toBe(data);
    expect(eventToWire(stored('ClaimOpened', { claimId: 'c' })).data).toEqual({ claimId: 'c' });
  });
});
