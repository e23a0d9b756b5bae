import { deepFreeze } from './deep-freeze';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, and returns the value it was given', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'text' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
    expect(() => {
      (value.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });

  it('passes primitives and null through', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze(undefined)).toBeUndefined();
  });

  it('ends on a cycle', () => {
    const node: { self?: unknown; child: { parent?: unknown } } = { child: {} };
    node.self = node;
    node.child.parent = node;
    deepFreeze(node);
    expect(Object.isFrozen(node.child)).toBe(true);
  });
});
