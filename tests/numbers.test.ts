import { describe, expect, it } from 'vitest';
import { decimal, grouped } from '../src/numbers.js';

describe('numbers as people read them', () => {
  // Intl is the reference: the point of these functions is the same text without its start-up cost.
  const values = [0, 1, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_234_567_890, 0.5, 2.25, 1234.5678, 0.0004, 999.9996, -1, -1234.5, -0.0001, 45.05, 1.005, 0.125, 4e-7, 1e21, 2 ** 53 + 2, 123_456_789.987];

  it('groups thousands as toLocaleString does', () => {
    for (const v of values) expect(grouped(v), String(v)).toBe(v.toLocaleString('en-US'));
  });

  it('rounds to at most the digits asked for and drops trailing zeros', () => {
    for (const v of values) {
      for (const d of [0, 1, 2]) expect(decimal(v, d), `${v} ${d}`).toBe(v.toLocaleString('en-US', { maximumFractionDigits: d }));
    }
    expect(decimal(310.04, 1)).toBe('310');
    expect(decimal(2400.56, 0)).toBe('2,401');
  });

  it('leaves what is not a finite number to Intl', () => {
    expect(grouped(Number.NaN)).toBe('NaN');
    expect(grouped(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
