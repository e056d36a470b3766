import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileIntFormat, compileReplace, formatInt, urlEncodeJava } from './pattern-format.js';
import { EngineCompileError } from './errors.js';

test('urlencode follows java.net.URLEncoder with UTF-8', () => {
  assert.equal(urlEncodeJava('plain-text_1.2*'), 'plain-text_1.2*');
  // Space is `+`; `~ ' ( ) !` are encoded, although encodeURIComponent would keep them.
  assert.equal(urlEncodeJava("a b~c'd(e)!f"), 'a+b%7Ec%27d%28e%29%21f');
  assert.equal(urlEncodeJava('x=1&y=/?#'), 'x%3D1%26y%3D%2F%3F%23');
  assert.equal(urlEncodeJava('é'), '%C3%A9');
  assert.equal(urlEncodeJava('€'), '%E2%82%AC');
  assert.equal(urlEncodeJava('😀'), '%F0%9F%98%80');
  assert.equal(urlEncodeJava('+%'), '%2B%25');
  // A lone surrogate becomes '?' as Java's encoder does.
  assert.equal(urlEncodeJava('a\ud800b'), 'a%3Fb');
});

function fmt(spec: string, value: number): string {
  const match = /^%([-#+ 0,(]*)(\d*)([doxX])$/.exec(spec);
  if (!match) throw new Error(spec);
  const [, flags, width, conversion] = match;
  return formatInt(value, compileIntFormat(flags!, width ? Number(width) : 0, conversion as 'd'));
}

test('integer formats match java.util.Formatter', () => {
  const cases: Array<[string, number, string]> = [
    ['%d', 42, '42'],
    ['%d', -42, '-42'],
    ['%05d', 42, '00042'],
    ['%05d', -42, '-0042'],
    ['%5d', 42, '   42'],
    ['%-5d', 42, '42   '],
    ['%+d', 5, '+5'],
    ['% d', 5, ' 5'],
    ['%(d', -5, '(5)'],
    ['%(08d', -42, '(000042)'],
    ['%,d', 1234567, '1,234,567'],
    ['%,d', -1234, '-1,234'],
    ['%,010d', 1234, '000001,234'],
    ['%2d', 12345, '12345'],
    ['%x', 255, 'ff'],
    ['%X', 255, 'FF'],
    ['%#x', 255, '0xff'],
    ['%#X', 255, '0XFF'],
    ['%08x', 255, '000000ff'],
    ['%#010x', 255, '0x000000ff'],
    ['%x', -1, 'ffffffff'],
    ['%X', -2147483648, '80000000'],
    ['%o', 8, '10'],
    ['%#o', 8, '010'],
    ['%o', -1, '37777777777'],
    // Beyond the int range Java formats a long: 64-bit two's complement.
    ['%x', -4294967297, 'fffffffeffffffff'],
  ];
  for (const [spec, value, expected] of cases) assert.equal(fmt(spec, value), expected, `${spec} of ${value}`);
});

test('integer formats Java rejects are compile errors', () => {
  for (const [flags, width, conversion] of [['-0', 5, 'd'], ['+ ', 0, 'd'], ['0', 0, 'd'], ['#', 0, 'd'], ['+', 0, 'x'], [',', 0, 'o'], ['q', 0, 'd'], ['--', 4, 'd']] as const) {
    assert.throws(() => compileIntFormat(flags, width, conversion), EngineCompileError, `%${flags}${width || ''}${conversion}`);
  }
});

test('replace: Java regex and replacement syntax, first match or all with g', () => {
  const first = compileReplace('o', '0', false);
  assert.equal('foo boo'.replace(first.regex, first.replacement), 'f0o boo');
  const all = compileReplace('o', '0', true);
  assert.equal('foo boo'.replace(all.regex, all.replacement), 'f00 b00');
  // Repeated use of a global regex does not carry lastIndex over.
  assert.equal('oo'.replace(all.regex, all.replacement), '00');
  const groups = compileReplace('(\\w+)@(\\w+)', '$2 at $1', true);
  assert.equal('joe@example'.replace(groups.regex, groups.replacement), 'example at joe');
  const named = compileReplace('(?<user>\\w+)@', '${user}/', false);
  assert.equal('joe@x'.replace(named.regex, named.replacement), 'joe/x');
  const escaped = compileReplace('price', '\\$5 \\\\ ok', false);
  assert.equal('price'.replace(escaped.regex, escaped.replacement), '$5 \\ ok');
  const caseless = compileReplace('(?i)abc', 'x', true);
  assert.equal('ABC abc'.replace(caseless.regex, caseless.replacement), 'x x');
  assert.throws(() => compileReplace('a', '$x', false), /not a group reference/);
  assert.throws(() => compileReplace('(', 'x', false), /invalid regular expression/);
});
