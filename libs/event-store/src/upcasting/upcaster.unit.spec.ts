import type { StoredEvent } from '../port/event-store.port';
import { UnknownSchemaVersionError, Upcaster } from './upcaster';

function stored(type: string, schemaVersion: number, data: unknown): StoredEvent {
  return {
    eventId: 'e1',
    streamId: 'claim-1',
    streamVersion: 1,
    position: 1n,
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

describe('Upcaster', () => {
  // v1 { count } -> v2 { value: { exact } } -> v3 adds unit.
  const upcaster = new Upcaster(
    {
      StatementReported: {
        1: (data) => ({ value: { exact: (data as { count: number }).count } }),
        2: (data) => ({ ...(data as object), unit: 'fighters' }),
      },
    },
    { StatementReported: 3, ClaimOpened: 1 },
  );

  it('applies every step in order from the stored version to the current one', () => {
    expect(upcaster.upcast(stored('StatementReported', 1, { count: 275 }))).toEqual({
      type: 'StatementReported',
      schemaVersion: 3,
      data: { value: { exact: 275 }, unit: 'fighters' },
    });
    expect(upcaster.upcast(stored('StatementReported', 2, { value: { exact: 3000 } }))).toEqual({
      type: 'StatementReported',
      schemaVersion: 3,
      data: { value: { exact: 3000 }, unit: 'fighters' },
    });
  });

  it('returns current-version events unchanged', () => {
    const data = { claimId: 'c1' };
    expect(upcaster.upcast(stored('ClaimOpened', 1, data))).toEqual({
      type: 'ClaimOpened',
      schemaVersion: 1,
      data,
    });
  });

  it('never mutates the stored event (its hash must stay verifiable)', () => {
    const event = stored('StatementReported', 1, { count: 275 });
    upcaster.upcast(event);
    expect(event.data).toEqual({ count: 275 });
    expect(event.schemaVersion).toBe(1);
  });

  it('throws a clear error for a version newer than the code', () => {
    const upcast = () => upcaster.upcast(stored('StatementReported', 4, {}));
    expect(upcast).toThrow(UnknownSchemaVersionError);
    expect(upcast).toThrow(/StatementReported has schema version 4, but this code knows up to 3/);
  });

  it('throws when a step between stored and current version is missing', () => {
    const gappy = new Upcaster({ ClaimOpened: { 2: (d) => d } }, { ClaimOpened: 3 });
    expect(() => gappy.upcast(stored('ClaimOpened', 1, {}))).toThrow(
      /no upcaster for ClaimOpened from schema version 1 to 2/,
    );
    expect(gappy.upcast(stored('ClaimOpened', 2, { a: 1 })).data).toEqual({ a: 1 });
  });

  it('passes through types it has no current version for', () => {
    expect(upcaster.upcast(stored('ClaimsMerged', 7, { x: 1 }))).toEqual({
      type: 'ClaimsMerged',
      schemaVersion: 7,
      data: { x: 1 },
    });
    expect(upcaster.currentVersion('ClaimsMerged')).toBeUndefined();
    expect(upcaster.currentVersion('StatementReported')).toBe(3);
  });

  it('rejects an invalid stored schema version', () => {
    expect(() => upcaster.upcast(stored('StatementReported', 0, {}))).toThrow(RangeError);
  });

  it('rejects an inconsistent registry at construction', () => {
    expect(() => new Upcaster({ Unknown: { 1: (d) => d } }, {})).toThrow(/no current version/);
    expect(() => new Upcaster({ ClaimOpened: { 1: (d) => d } }, { ClaimOpened: 1 })).toThrow(
      /outside 1\.\.0/,
    );
    expect(() => new Upcaster({}, { ClaimOpened: 0 })).toThrow(RangeError);
  });
});
