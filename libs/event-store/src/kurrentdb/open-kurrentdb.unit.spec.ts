import { TestClock } from '../testing/test-clock';
import { KurrentDbUnavailableError } from './kurrentdb-errors';
import { openKurrentDbEventStore, redactUrl } from './open-kurrentdb';

/* The real client, with no server behind the port: what an operator sees when KURRENTDB_URL is wrong. */
describe('openKurrentDbEventStore without a server', () => {
  it('fails at open with KURRENTDB_UNAVAILABLE, naming the URL without its password', async () => {
    const url = 'kurrentdb://admin:s3cret@127.0.0.1:1?tls=false';
    const error = await openKurrentDbEventStore({ url, clock: new TestClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KurrentDbUnavailableError);
    expect((error as Error).message).toContain('kurrentdb://admin:***@127.0.0.1:1');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses a prefix that could overlap another log before connecting', async () => {
    await expect(
      openKurrentDbEventStore({
        url: 'kurrentdb://127.0.0.1:1?tls=false',
        clock: new TestClock(),
        prefix: 'a-b',
      }),
    ).rejects.toThrow(RangeError);
  });

  it('redacts passwords in connection strings', () => {
    expect(redactUrl('kurrentdb://u:p@h:2113?tls=true')).toBe('kurrentdb://u:***@h:2113?tls=true');
    expect(redactUrl('kurrentdb://h:2113')).toBe('kurrentdb://h:2113');
  });
});

describe('@app/event-store without KurrentDB', () => {
  it('does not load the KurrentDB client (a native module) until a KurrentDB store is opened', () => {
    jest.isolateModules(() => {
      jest.doMock('@kurrent/kurrentdb-client', () => {
        throw new Error('the KurrentDB client was loaded by a plain import of @app/event-store');
      });
      expect(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules loads synchronously
        require('../index');
      }).not.toThrow();
    });
  });
});
