import { startTestApp } from './support/test-app';

/**
 * EVENT_STORE=kurrentdb is wired (decision 0009 for where its read models live): without a server
 * here, the API must get as far as connecting, and say which server it could not reach. With
 * KURRENTDB_URL pointing at a server, the event-store conformance suite covers the adapter.
 */
describe('the API on EVENT_STORE=kurrentdb', () => {
  it('opens the KurrentDB store at start and names the unreachable server, without its password', async () => {
    const error = await startTestApp({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://admin:s3cret@127.0.0.1:1?tls=false',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('kurrentdb://admin:***@127.0.0.1:1');
    expect((error as Error).message).not.toContain('s3cret');
    expect((error as Error).message).not.toMatch(/not available in this build/);
  });
});
