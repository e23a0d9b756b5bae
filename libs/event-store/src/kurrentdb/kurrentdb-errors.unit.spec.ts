import {
  AccessDeniedError,
  AppendConsistencyViolationError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { InvalidAppendError } from '../core/errors';
import {
  KurrentDbStreamDeletedError,
  KurrentDbUnavailableError,
  classifyAppendError,
  isStreamNotFound,
  translateError,
} from './kurrentdb-errors';
import { KurrentDbStreamNames } from './kurrentdb-names';

const names = new KurrentDbStreamNames('newsroom');

function conflict(streamName: string, current: bigint | typeof NO_STREAM): WrongExpectedVersionError {
  return new WrongExpectedVersionError(undefined, { streamName, expected: 3n, current });
}

function violation(stream: string, actualState: string): AppendConsistencyViolationError {
  type Details = ConstructorParameters<typeof AppendConsistencyViolationError>[1];
  const details = {
    violationsList: [{ checkIndex: 0, streamState: { stream, expectedState: '3', actualState } }],
  } as unknown as Details;
  type Cause = ConstructorParameters<typeof AppendConsistencyViolationError>[0];
  return new AppendConsistencyViolationError({ message: 'violation' } as Cause, details);
}

describe('classifyAppendError', () => {
  it('reads a conflict on the position log as "another writer took the next position"', () => {
    expect(classifyAppendError(conflict(names.logStream, 9n), names)).toEqual({ kind: 'log-moved' });
  });

  it('reads a conflict on our stream as its actual version (revision + 1, no stream = 0)', () => {
    const stream = names.toStreamName('claim-1');
    expect(classifyAppendError(conflict(stream, 4n), names)).toEqual({
      kind: 'stream-moved',
      actualVersion: 5,
    });
    expect(classifyAppendError(conflict(stream, NO_STREAM), names)).toEqual({
      kind: 'stream-moved',
      actualVersion: 0,
    });
  });

  it('reads an existing reservation stream as a duplicate event id', () => {
    const reservation = names.eventIdStream('evt-1');
    expect(classifyAppendError(conflict(reservation, 0n), names)).toEqual({
      kind: 'duplicate-id',
      reservationStream: reservation,
    });
  });

  it('reads a deleted or tombstoned stream (negative state) as deletion, never as a version', () => {
    const error = classifyAppendError(conflict(names.toStreamName('claim-1'), -6n), names);
    expect(error).toBeInstanceOf(KurrentDbStreamDeletedError);
    expect(error).toMatchObject({ code: 'KURRENTDB_STREAM_DELETED', streamName: 'newsroom-claim-1' });
  });

  it('understands consistency violations (servers with append checks) the same way', () => {
    expect(classifyAppendError(violation(names.logStream, '9'), names)).toEqual({ kind: 'log-moved' });
    expect(classifyAppendError(violation(names.toStreamName('claim-1'), '-1'), names)).toEqual({
      kind: 'stream-moved',
      actualVersion: 0,
    });
  });

  it('turns anything else into an error to throw', () => {
    expect(classifyAppendError(new UnavailableError(), names)).toBeInstanceOf(KurrentDbUnavailableError);
    const other = new Error('boom');
    expect(classifyAppendError(other, names)).toBe(other);
  });
});

describe('translateError', () => {
  it('reports connection failures as KURRENTDB_UNAVAILABLE, keeping the cause', () => {
    for (const cause of [new UnavailableError(), new DeadlineExceededError()]) {
      const error = translateError(cause);
      expect(error).toBeInstanceOf(KurrentDbUnavailableError);
      expect(error).toMatchObject({ code: 'KURRENTDB_UNAVAILABLE', cause });
    }
  });

  it('recognises the raw gRPC error some client paths reject with (code 14, details)', () => {
    const raw = (metadata: object) =>
      Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
        code: 14,
        details: 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2113',
        metadata,
      });
    const grpcMetadata = { getMap: () => ({}), get: () => [] };
    expect(translateError(raw(grpcMetadata))).toBeInstanceOf(KurrentDbUnavailableError);
    expect(classifyAppendError(raw(grpcMetadata), names)).toBeInstanceOf(KurrentDbUnavailableError);
    expect(translateError(raw({}))).toBeInstanceOf(KurrentDbUnavailableError);
  });

  it("reports a batch over the server's size limit as the caller's invalid append", () => {
    const error = translateError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576));
    expect(error).toBeInstanceOf(InvalidAppendError);
    expect(error.message).toMatch(/larger than the KurrentDB server accepts/);
  });

  it('reports a server too old for multi-stream appends, and a user without rights, as setup errors', () => {
    expect(translateError(new UnsupportedError('multiStreamAppend', '25.1'))).toMatchObject({
      code: 'KURRENTDB_SETUP',
      message: expect.stringMatching(/needs KurrentDB 25\.1/) as unknown,
    });
    expect(translateError(new AccessDeniedError())).toMatchObject({ code: 'KURRENTDB_SETUP' });
  });

  it('reports a deleted stream', () => {
    expect(translateError(StreamDeletedError.fromStreamName('newsroom-claim-1'))).toMatchObject({
      code: 'KURRENTDB_STREAM_DELETED',
      streamName: 'newsroom-claim-1',
    });
  });

  it('passes unknown errors through and wraps non-errors', () => {
    const error = new TypeError('x');
    expect(translateError(error)).toBe(error);
    expect(translateError('text')).toEqual(new Error('text'));
  });

  it('treats a missing stream as empty, not as a failure', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'newsroom-claim-1'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });
});
