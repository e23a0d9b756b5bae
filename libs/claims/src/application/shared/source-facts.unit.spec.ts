import { InMemoryEventStore } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { sourceDecider } from '../../domain/source.decider';
import { DecisionRunner } from './decision-runner';
import { EventCodec } from './event-codec';
import { SourceFacts } from './source-facts';

const context = { principal: 'reporter-1', correlationId: 'c-1' };
const register = (sourceId: string) => ({
  type: 'RegisterSource' as const,
  data: { sourceId, name: 'Talal Silo', kind: 'person' as const, protected: false },
});

describe('SourceFacts.isRegistered', () => {
  it('reads a registered source once; a source not registered yet is looked up again', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const reads = jest.spyOn(store, 'readStream');
    const facts = new SourceFacts(runner);

    expect(await facts.isRegistered('s1')).toBe(false);
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    expect(await facts.isRegistered('s1')).toBe(true);
    const afterFirstYes = reads.mock.calls.length;
    expect(await facts.isRegistered('s1')).toBe(true);
    expect(await facts.isRegistered('s1')).toBe(true);
    expect(reads.mock.calls.length).toBe(afterFirstYes);
    expect(await facts.isRegistered('s2')).toBe(false);
    expect(reads.mock.calls.length).toBe(afterFirstYes + 1);
  });
});
