import canonicalize from 'canonicalize';
import { plainContextMembers } from './plain-context';

describe('plainContextMembers', () => {
  it('gives the sorted canonical members of the context the stores write', () => {
    const context = { principal: 'محرر', correlationId: 'c-1', causationId: 'e-9', idempotencyKey: 'k' };
    const canonical = canonicalize(context) as string;
    expect(plainContextMembers(JSON.stringify(context))).toBe(canonical.slice(1, -1));
    expect(plainContextMembers('{"principal":"p","correlationId":"c"}')).toBe(
      '"correlationId":"c","principal":"p"',
    );
    expect(plainContextMembers('{}')).toBe('');
  });

  it('declines what it cannot vouch for, so the general reading decides', () => {
    for (const text of [
      '{"principal":"p","correlationId":"c","smuggled":"x"}',
      '{"principal":"p","principal":"q"}',
      '{"princ\\u0069pal":"p"}',
      '{"principal":"a\\"b"}',
      '{"principal":"\ud800"}',
      '{"principal":null}',
      '{"principal":1}',
      '{ "principal":"p"}',
      '{"principal":"p"} ',
      '{"principal":"p"}{',
      '{"principal":"p",}',
      '{"principal":"p"',
      '"p"',
      '{} ',
    ]) {
      expect(plainContextMembers(text)).toBeUndefined();
    }
  });
});
