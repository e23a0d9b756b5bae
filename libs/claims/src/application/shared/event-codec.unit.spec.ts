import type { StoredEvent } from '@app/event-store';
import { EventCodec } from './event-codec';

function stored(type: string, schemaVersion: number, data: unknown): StoredEvent {
  return {
    eventId: 'e1',
    streamId: 'claim-c1',
    streamVersion: 2,
    position: 2n,
    type,
    schemaVersion,
    data,
    metadata: {
      principal: 'p',
      correlationId: 'c',
      recordedAt: '2017-10-15T09:00:00.000Z',
      hash: 'h',
      prevHash: 'g',
    },
  };
}

describe('EventCodec and the version-2 claim and statement events (decision 0019)', () => {
  const codec = new EventCodec();
  const v1Report = {
    claimId: 'c1',
    statementId: 's1',
    sourceId: 'src',
    stance: 'affirms',
    value: { date: '2017-10-12', precision: 'day' },
    quote: { text: 'نعم', language: 'ar' },
    statedAt: { at: '2017-10-15T09:00:00Z', precision: 'day' },
    attribution: 'on-record',
  };

  it('given a version-1 statement event, when decoded, then it reads unchanged', () => {
    expect(codec.decode(stored('StatementReported', 1, v1Report))).toEqual({
      type: 'StatementReported',
      data: v1Report,
    });
    const opened = {
      claimId: 'c1',
      storyId: 'st',
      proposition: { text: 'p', language: 'en' },
      valueKind: 'boolean',
    };
    expect(codec.decode(stored('ClaimOpened', 1, opened)).data).toEqual(opened);
    const retraction = { claimId: 'c1', statementId: 's1', reason: 'source-withdrew' };
    expect(codec.decode(stored('StatementRetracted', 1, retraction)).data).toEqual(retraction);
  });

  it('given a new statement event, when encoded, then it is written as version 2', () => {
    expect(codec.encode({ type: 'StatementReported', data: v1Report }).schemaVersion).toBe(2);
    expect(codec.encode({ type: 'StatementCorrected', data: {} }).schemaVersion).toBe(2);
    expect(codec.encode({ type: 'StatementRetracted', data: {} }).schemaVersion).toBe(2);
    expect(codec.encode({ type: 'ClaimOpened', data: {} }).schemaVersion).toBe(2);
    expect(codec.encode({ type: 'VerdictIssued', data: {} }).schemaVersion).toBe(1);
  });
});
