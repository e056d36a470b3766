import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { javaDoubleToString, javaFixed } from './java-format.js';

describe('javaFixed (Java String.format %.Nf)', () => {
  // Expected strings printed by OpenJDK 17: String.format(Locale.US, "%.3f|%.2f|%.12f|%f", x, x, x, x).
  const cases: Array<[number, string]> = [
    [1.0005, '1.001|1.00|1.000500000000|1.000500'],
    [1.005, '1.005|1.01|1.005000000000|1.005000'],
    [0.15, '0.150|0.15|0.150000000000|0.150000'],
    [0.125, '0.125|0.13|0.125000000000|0.125000'],
    [2.675, '2.675|2.68|2.675000000000|2.675000'],
    [1e-7, '0.000|0.00|0.000000100000|0.000000'],
    [123456.789, '123456.789|123456.79|123456.789000000000|123456.789000'],
    [0.99, '0.990|0.99|0.990000000000|0.990000'],
    [0.9999, '1.000|1.00|0.999900000000|0.999900'],
    [1 / 3, '0.333|0.33|0.333333333333|0.333333'],
    [2 / 3, '0.667|0.67|0.666666666667|0.666667'],
    [99.99999999995, '100.000|100.00|99.999999999950|100.000000'],
    [5e-13, '0.000|0.00|0.000000000001|0.000000'],
    [1.5, '1.500|1.50|1.500000000000|1.500000'],
    [9.9995, '10.000|10.00|9.999500000000|9.999500'],
    [0, '0.000|0.00|0.000000000000|0.000000'],
  ];

  for (const [value, expected] of cases) {
    it(`formats ${value} like Java`, () => {
      const actual = [javaFixed(value, 3), javaFixed(value, 2), javaFixed(value, 12), javaFixed(value, 6)].join('|');
      assert.equal(actual, expected);
    });
  }

  it('differs from toFixed where Java rounds the shortest digits half-up', () => {
    assert.equal((1.005).toFixed(2), '1.00');
    assert.equal(javaFixed(1.005, 2), '1.01');
  });

  it('prints infinities, NaN and negatives as Java does', () => {
    assert.equal(javaFixed(Number.POSITIVE_INFINITY, 3), 'Infinity');
    assert.equal(javaFixed(Number.NaN, 3), 'NaN');
    assert.equal(javaFixed(-2.5, 0), '-3');
    assert.equal(javaFixed(-0.0001, 3), '-0.000');
  });
});

describe('javaDoubleToString (Java Double.toString)', () => {
  it('keeps a ".0" on integers and uses E notation outside [1e-3, 1e7)', () => {
    assert.equal(javaDoubleToString(50), '50.0');
    assert.equal(javaDoubleToString(99.99), '99.99');
    assert.equal(javaDoubleToString(1e7), '1.0E7');
    assert.equal(javaDoubleToString(1.25e-4), '1.25E-4');
  });
});
