import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measurement } from '../../shared/schemas/care-plan';

/** DynamoDB stores numbers of magnitude 1e-130 to 1e126 (and 0); anything else fails the write with a 500. */
const storable = (x: number) => x === 0 || (Math.abs(x) >= 1e-130 && Math.abs(x) < 1e126);

describe('a measured value', () => {
  it('takes clinical values, zero and negatives', () => {
    for (const value of [0, -0, 72, 36.6, -2.5, 0.001, 1e-12, 999_999_999_999])
      expect(measurement.safeParse(value).success, String(value)).toBe(true);
  });

  it('refuses what DynamoDB cannot store, or no measure needs, with a reason', () => {
    for (const value of [1.8e308, 1e12, -1e12, 1e-13, 8.4e-323, -1.3e-223, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = measurement.safeParse(value);
      expect(result.success, String(value)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/must|expected number/);
    }
  });

  it('never lets through a double DynamoDB cannot store', () => {
    fc.assert(
      fc.property(fc.double(), (x) => !measurement.safeParse(x).success || storable(x)),
      { numRuns: 20_000 },
    );
  });
});
