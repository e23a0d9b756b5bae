import { DomainError, PreconditionFailedError } from '@app/claims';
import { openSqliteDatabase, systemClock, WrongExpectedVersionError } from '@app/event-store';
import { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency.store';
import type { IdempotencyRecovery } from './idempotency-recovery';
import { IdempotencyService } from './idempotency.service';
import { ProblemError } from './problem';
import type { AuthedRequest } from './request-context';

/** Which answers are kept under their key and which free it, on the embedded store. */
describe('IdempotencyService', () => {
  const db = openSqliteDatabase(':memory:');
  const recovery = { resolve: jest.fn() } as unknown as IdempotencyRecovery;
  const service = new IdempotencyService(new SqliteIdempotencyStore(db), recovery, systemClock);
  afterAll(() => db.close());

  const request = (key: string, body: unknown = { name: 'x' }): AuthedRequest =>
    ({
      method: 'POST',
      url: `/claims/c1/statements?k=${key}`,
      body,
      params: { claimId: 'c1' },
      principal: { name: 'reporter-test', role: 'reporter', keyDigest: 'd'.repeat(64) },
    }) as unknown as AuthedRequest;

  async function failWith(key: string, error: unknown) {
    const begun = await service.begin(request(key), key);
    if (begun.kind !== 'run') throw new Error('expected to run');
    await service.fail(begun.reservation, request(key), error);
    return service.begin(request(key), key);
  }

  it.each([
    [
      'a 400 for an invalid body',
      new ProblemError(400, 'VALIDATION_FAILED', 'Bad request', 'name: required'),
      400,
    ],
    ['a 412 for a stale If-Match', new PreconditionFailedError('claim-c1', 1, 2), 412],
    ['a 404 for an unknown claim', new DomainError('CLAIM_NOT_FOUND', 'no such claim'), 404],
    [
      'a 409 for an id that exists',
      new DomainError('STATEMENT_ALREADY_EXISTS', 'exists', 'statementId'),
      409,
    ],
  ])('stores %s and replays it', async (_name, error, status) => {
    const again = await failWith(`stored-${status}`, error);
    expect(again).toMatchObject({ kind: 'replay', response: { status, body: { status } } });
  });

  it.each([
    ['a lost race (409 WRONG_EXPECTED_VERSION)', new WrongExpectedVersionError('claim-c1', 3, 4)],
    ['a server error', new Error('disk full')],
  ])('releases the key after %s: the same request runs again', async (_name, error) => {
    const key = `released-${String(error)}`;
    expect((await failWith(key, error)).kind).toBe('run');
  });

  it('answers 409 in flight for a live pending key, 422 for another body, and settles a reservation once', async () => {
    const begun = await service.begin(request('once'), 'once');
    if (begun.kind !== 'run') throw new Error('expected to run');
    await expect(service.begin(request('once'), 'once')).rejects.toMatchObject({
      status: 409,
      code: 'IDEMPOTENT_REQUEST_IN_FLIGHT',
    });
    await expect(service.begin(request('once', { name: 'y' }), 'once')).rejects.toMatchObject({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    await service.complete(begun.reservation, { status: 201, body: { id: 'a' } });
    await service.fail(begun.reservation, request('once'), new Error('late'));
    await service.unanswered(begun.reservation);
    expect(await service.begin(request('once'), 'once')).toMatchObject({
      kind: 'replay',
      response: { status: 201 },
    });
    expect(recovery.resolve).not.toHaveBeenCalled();
  });
});
