import { randomBytes } from 'node:crypto';
import { InMemoryEventStore, openSqliteDatabase } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { MasterKeyRing, SourceKeys, SqliteSourceKeyStore } from '@app/protection';
import { AmendSourceHandler } from '../amend-source/amend-source.handler';
import { AmendSourceCommand } from '../amend-source/amend-source.command';
import { RegisterSourceCommand } from '../register-source/register-source.command';
import { RegisterSourceHandler } from '../register-source/register-source.handler';
import { ShredSourceIdentityCommand } from '../shred-source/shred-source.command';
import { ShredSourceIdentityHandler } from '../shred-source/shred-source.handler';
import { DecisionRunner } from './decision-runner';
import { EventCodec } from './event-codec';
import { SourceFacts } from './source-facts';
import { SourceIdentityProtection } from './source-identity';

const context = { principal: 'admin-1', correlationId: 'c-1' };
const NAME = 'Zubayr the informant';

function setUp() {
  const store = new InMemoryEventStore(new TestClock());
  const keyStore = new SqliteSourceKeyStore(openSqliteDatabase(':memory:'));
  const keys = new SourceKeys(keyStore, new MasterKeyRing([randomBytes(32)]));
  const runner = new DecisionRunner(store, new EventCodec());
  const identity = new SourceIdentityProtection(keys, runner);
  const facts = new SourceFacts(runner);
  return {
    store,
    keyStore,
    identity,
    register: new RegisterSourceHandler(runner, facts, identity),
    amend: new AmendSourceHandler(runner, facts, identity),
    shred: new ShredSourceIdentityHandler(runner, identity),
    logText: async () =>
      JSON.stringify((await store.readAll({ after: 0n, limit: 100 })).map((e) => [e.data, e.metadata])),
  };
}

describe('protected source handlers (seal between decide and append)', () => {
  it('appends a protected identity sealed, and opens it again only with the key', async () => {
    const app = setUp();
    await app.register.execute(
      new RegisterSourceCommand(
        { sourceId: 'p-1', name: NAME, nameLatin: 'Zubayr', kind: 'person', role: 'driver', protected: true },
        context,
      ),
    );
    const [event] = await app.store.readStream('source-p-1');
    expect(event!.data).toMatchObject({
      sourceId: 'p-1',
      name: expect.stringMatching(/^sealed:v1:/),
      nameLatin: expect.stringMatching(/^sealed:v1:/),
      role: expect.stringMatching(/^sealed:v1:/),
      kind: 'person',
      protected: true,
    });
    expect(await app.logText()).not.toMatch(/Zubayr|driver/);
    expect(await app.identity.identityOf('p-1')).toEqual({ name: NAME, nameLatin: 'Zubayr', role: 'driver' });
  });

  it('leaves an unprotected source in the clear, with no key', async () => {
    const app = setUp();
    await app.register.execute(
      new RegisterSourceCommand({ sourceId: 'o-1', name: 'SDF', kind: 'organization' }, context),
    );
    expect((await app.store.readStream('source-o-1'))[0]!.data).toMatchObject({ name: 'SDF' });
    expect(await app.keyStore.find('o-1')).toBeUndefined();
    expect(await app.identity.identityOf('o-1')).toBeUndefined();
  });

  it('seals amendments of a protected source; a cleared field stays null', async () => {
    const app = setUp();
    await app.register.execute(
      new RegisterSourceCommand(
        { sourceId: 'p-1', name: NAME, kind: 'person', role: 'driver', protected: true },
        context,
      ),
    );
    await app.amend.execute(
      new AmendSourceCommand(
        'p-1',
        { changes: { nameLatin: 'Zubayr Q.', role: null }, reason: 'spelling' },
        context,
      ),
    );
    const [, amended] = await app.store.readStream('source-p-1');
    expect(amended!.data).toMatchObject({
      changes: { nameLatin: expect.stringMatching(/^sealed:v1:/), role: null },
      reason: 'spelling',
    });
    expect(await app.identity.identityOf('p-1')).toEqual({ name: NAME, nameLatin: 'Zubayr Q.' });
  });

  it('shreds: the key goes, the event says who and why, and the identity can no longer be opened', async () => {
    const app = setUp();
    await app.register.execute(
      new RegisterSourceCommand({ sourceId: 'p-1', name: NAME, kind: 'person', protected: true }, context),
    );
    const result = await app.shred.execute(
      new ShredSourceIdentityCommand('p-1', { reason: 'asked' }, context),
    );
    expect(result).toMatchObject({ id: 'p-1', streamVersion: 2 });
    expect(await app.keyStore.find('p-1')).toBeUndefined();
    const [, shredded] = await app.store.readStream('source-p-1');
    expect(shredded).toMatchObject({
      type: 'SourceIdentityShredded',
      data: { sourceId: 'p-1', reason: 'asked', shreddedBy: 'admin-1' },
    });
    expect(await app.identity.identityOf('p-1')).toBeUndefined();
    await expect(
      app.amend.execute(new AmendSourceCommand('p-1', { changes: { name: 'X' }, reason: 'r' }, context)),
    ).rejects.toMatchObject({ code: 'SOURCE_SHREDDED' });
    expect(await app.logText()).not.toContain(NAME);
  });

  it('refuses to shred an unprotected source and destroys nothing', async () => {
    const app = setUp();
    await app.register.execute(
      new RegisterSourceCommand({ sourceId: 'o-1', name: 'SDF', kind: 'organization' }, context),
    );
    await expect(
      app.shred.execute(new ShredSourceIdentityCommand('o-1', { reason: 'asked' }, context)),
    ).rejects.toMatchObject({ code: 'SOURCE_NOT_PROTECTED' });
    expect(await app.store.readStream('source-o-1')).toHaveLength(1);
  });

  it('serves a protected source registered in the clear by an earlier release, and seals its amendments', async () => {
    const app = setUp();
    await app.store.append(
      'source-legacy',
      [
        {
          eventId: 'e-legacy',
          type: 'SourceRegistered',
          schemaVersion: 1,
          data: { sourceId: 'legacy', name: 'Abu Leila', kind: 'person', protected: true },
          metadata: { principal: 'old', correlationId: 'c' },
        },
      ],
      0,
    );
    expect(await app.identity.identityOf('legacy')).toEqual({ name: 'Abu Leila' });
    await app.amend.execute(
      new AmendSourceCommand('legacy', { changes: { role: 'nurse' }, reason: 'confirmed' }, context),
    );
    const [, amended] = await app.store.readStream('source-legacy');
    expect(amended!.data).toMatchObject({ changes: { role: expect.stringMatching(/^sealed:v1:/) } });
    expect(await app.identity.identityOf('legacy')).toEqual({ name: 'Abu Leila', role: 'nurse' });
    await app.shred.execute(new ShredSourceIdentityCommand('legacy', { reason: 'asked' }, context));
    expect(await app.keyStore.find('legacy')).toBeUndefined();
    expect(await app.identity.identityOf('legacy')).toBeUndefined();
  });
});
