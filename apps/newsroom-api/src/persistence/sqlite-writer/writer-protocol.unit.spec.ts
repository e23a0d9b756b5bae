import {
  DuplicateEventError,
  EventStoreClosedError,
  InvalidAppendError,
  WrongExpectedVersionError,
} from '@app/event-store';
import { fromWire, toWire } from './writer-protocol';

/** What crosses the thread is what structured clone keeps: the round trip must give the same error. */
const across = (error: unknown) => fromWire(structuredClone(toWire(error)));

describe('errors across the writer thread', () => {
  it('keeps the classes callers branch on, with their fields', () => {
    const lost = across(new WrongExpectedVersionError('claim-1', 3, 5));
    expect(lost).toBeInstanceOf(WrongExpectedVersionError);
    expect(lost).toMatchObject({
      streamId: 'claim-1',
      expected: 3,
      actual: 5,
      code: 'WRONG_EXPECTED_VERSION',
    });
    expect(across(new WrongExpectedVersionError('claim-1', 'any', 0))).toMatchObject({ expected: 'any' });

    const duplicate = across(new DuplicateEventError('e-1'));
    expect(duplicate).toBeInstanceOf(DuplicateEventError);
    expect(duplicate).toMatchObject({ eventId: 'e-1', code: 'DUPLICATE_EVENT' });

    const invalid = across(new InvalidAppendError('events[0].eventId must be a non-empty string'));
    expect(invalid).toBeInstanceOf(InvalidAppendError);
    expect(invalid.message).toBe('events[0].eventId must be a non-empty string');
    expect(across(new EventStoreClosedError())).toBeInstanceOf(EventStoreClosedError);
  });

  it('keeps the name, message, code and stack of any other error', () => {
    const disk = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const back = across(disk);
    expect(back).toMatchObject({ name: 'Error', message: 'database or disk is full', code: 'SQLITE_FULL' });
    expect(back.stack).toBe(disk.stack);
    expect(across('not an error')).toMatchObject({ message: 'not an error' });
  });
});
