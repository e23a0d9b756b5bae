import { describeStartupFailure } from './startup-failure';

const target = { host: '0.0.0.0', port: 3000 };
const errno = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('describeStartupFailure', () => {
  it('names the address and the variable to change when the port is taken', () => {
    const failure = describeStartupFailure(
      errno('listen EADDRINUSE: address already in use 0.0.0.0:3000', 'EADDRINUSE'),
      target,
    );
    expect(failure).toEqual({
      line: 'cannot listen on 0.0.0.0:3000: the port is already in use (stop the other server or set PORT)',
      expected: true,
    });
  });

  it.each([
    ['EACCES', 'permission denied (ports below 1024 need privileges; set PORT)'],
    ['EADDRNOTAVAIL', '0.0.0.0 is not an address of this machine (set HOST)'],
    ['ENOTFOUND', 'the host name 0.0.0.0 does not resolve (set HOST)'],
  ])('explains %s', (code, explanation) => {
    expect(describeStartupFailure(errno(`listen ${code}`, code), target).line).toBe(
      `cannot listen on 0.0.0.0:3000: ${explanation}`,
    );
  });

  it('keeps the first line of any other error, with its code, and marks it unexpected', () => {
    const error = errno('unable to open database file\n    at Database.<anonymous>', 'SQLITE_CANTOPEN');
    expect(describeStartupFailure(error, target)).toEqual({
      line: 'cannot start: unable to open database file (SQLITE_CANTOPEN)',
      expected: false,
    });
  });

  it('does not repeat a code the message already names', () => {
    const error = errno('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    expect(describeStartupFailure(error, target).line).toBe(
      'cannot start: connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('reads the first cause of an AggregateError, which has no message of its own', () => {
    const error = new AggregateError([errno('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '');
    expect(describeStartupFailure(error, target).line).toBe('cannot start: connect ECONNREFUSED ::1:5432');
  });

  it('says something for a thrown non-error, and without a listen target', () => {
    expect(describeStartupFailure('boom', undefined).line).toBe('cannot start: boom');
    expect(describeStartupFailure(errno('listen EADDRINUSE', 'EADDRINUSE'), undefined).line).toBe(
      'cannot start: listen EADDRINUSE',
    );
    expect(describeStartupFailure(new Error(''), target).line).toBe('cannot start: unknown error');
  });
});
