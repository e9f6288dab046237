import { describe, expect, it } from 'vitest';
import { hasNul } from '../../server/nul-check.ts';

describe('hasNul', () => {
  it('finds NUL in any string or key of a parsed body, however deep', () => {
    expect(hasNul({ a: 'x', b: [1, null, true, { c: 'ok' }] })).toBe(false);
    expect(hasNul(undefined)).toBe(false);
    expect(hasNul({ a: ['x', { b: 'c\u0000' }] })).toBe(true);
    expect(hasNul({ 'k\u0000': 1 })).toBe(true);
    expect(hasNul('\u0000')).toBe(true);
    // What a 100 kB JSON body can nest, without running out of stack.
    const deep = JSON.parse(`${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}`);
    expect(hasNul(deep)).toBe(true);
    // An upload's bytes are not text.
    expect(hasNul({ file: Buffer.from([0, 1, 2]) })).toBe(false);
  });
});
