import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileDateFormat, tokenizeDatePattern } from './date-format.js';

const fail = (message: string): never => {
  throw new Error(message);
};

// Local time, as Java formats in the JVM's default zone: the expectations are built from the same local fields.
const at = new Date(2024, 1, 29, 7, 5, 9, 42).getTime(); // Thursday 29 February 2024, 07:05:09.042

describe('SimpleDateFormat patterns', () => {
  it('numeric fields with padding', () => {
    const format = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS", 'US', fail);
    assert.equal(format.format(at), '2024-02-29T07:05:09.042');
    assert.equal(compileDateFormat('yy/M/d H:m:s', 'US', fail).format(at), '24/2/29 7:5:9');
    assert.equal(compileDateFormat('D', 'US', fail).format(at), '60');
  });

  it('names in the locale of the country', () => {
    assert.equal(compileDateFormat('EEE, d MMM yyyy', 'US', fail).format(at), 'Thu, 29 Feb 2024');
    assert.equal(compileDateFormat('EEEE MMMM', 'US', fail).format(at), 'Thursday February');
    assert.equal(compileDateFormat('EEEE d MMMM', 'FR', fail).format(at), 'jeudi 29 février');
  });

  it('12-hour clock and markers', () => {
    assert.equal(compileDateFormat('h:mm a', 'US', fail).format(at), '7:05 AM');
    const evening = new Date(2024, 1, 29, 19, 0).getTime();
    assert.equal(compileDateFormat('hh a K k', 'US', fail).format(evening), '07 PM 7 19');
    const midnight = new Date(2024, 1, 29, 0, 30).getTime();
    assert.equal(compileDateFormat('h k K H', 'US', fail).format(midnight), '12 24 0 0');
  });

  it('zone offsets: Z and X', () => {
    const offsetMin = -new Date(at).getTimezoneOffset();
    const sign = offsetMin < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offsetMin) % 60).padStart(2, '0');
    assert.equal(compileDateFormat('Z', 'US', fail).format(at), `${sign}${hh}${mm}`);
    assert.equal(compileDateFormat('XXX', 'US', fail).format(at), offsetMin === 0 ? 'Z' : `${sign}${hh}:${mm}`);
  });

  it('quotes: literal text and the escaped quote', () => {
    assert.equal(compileDateFormat("'at' HH 'o''clock' ''", 'US', fail).format(at), "at 07 o'clock '");
    assert.deepEqual(tokenizeDatePattern("'x'").map((t) => t.text), ['x']);
  });

  it('refuses letters SimpleDateFormat does not know, an open quote and an unknown country', () => {
    assert.throws(() => compileDateFormat('yyyy-QQ', 'US', fail), /illegal pattern character `Q`/);
    assert.throws(() => compileDateFormat("'open", 'US', fail), /unterminated quote/);
    assert.throws(() => compileDateFormat('yyyy', 'QQ', fail), /no locale is known for country `QQ`/);
  });
});
