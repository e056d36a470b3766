import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID } from './codec.js';
import { child, decodeYaml } from './decode-testing.js';
import type { Pattern } from './model.js';
import { compilePattern, constantText, literalPattern, patternCodec } from './patterns.js';
import { parseArrayTarget, parseVarRef } from './var-ref.js';

function parts(source: string, options = {}): Pattern['parts'] {
  const compiled = compilePattern(source, options);
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.message);
  return compiled.value.parts;
}

function error(source: string, options = {}): string {
  const compiled = compilePattern(source, options);
  assert.ok(!compiled.ok, `expected \`${source}\` to be refused`);
  return compiled.message;
}

const plainVar = (name: string, indexed = false) => ({ kind: 'var', ref: { name, indexed }, format: { kind: 'plain' } });

describe('patterns', () => {
  it('splits literal text and variables, trimming names and keeping the source', () => {
    const compiled = compilePattern('/items/${ id }/buy?x=${user[.]}');
    assert.ok(compiled.ok);
    assert.equal(compiled.value.source, '/items/${ id }/buy?x=${user[.]}');
    assert.deepEqual(compiled.value.parts, [
      { kind: 'literal', text: '/items/' }, plainVar('id'), { kind: 'literal', text: '/buy?x=' }, plainVar('user', true),
    ]);
  });

  it('reads `$${` as a literal `${` and merges it with the surrounding text', () => {
    assert.deepEqual(parts('This $${variable} is not replaced, ${this} is'), [
      { kind: 'literal', text: 'This ${variable} is not replaced, ' }, plainVar('this'), { kind: 'literal', text: ' is' },
    ]);
    assert.deepEqual(parts('no variables at all'), [{ kind: 'literal', text: 'no variables at all' }]);
    assert.deepEqual(parts(''), []);
  });

  it('knows the named transformations', () => {
    assert.deepEqual(parts('${urlencode:movie[.]}'), [{ kind: 'var', ref: { name: 'movie', indexed: true }, format: { kind: 'urlencode' } }]);
    assert.deepEqual(parts('Basic ${base64encode:creds}')[1], { kind: 'var', ref: { name: 'creds', indexed: false }, format: { kind: 'base64encode' } });
    assert.deepEqual(parts('${ base64decode : token }'), [{ kind: 'var', ref: { name: 'token', indexed: false }, format: { kind: 'base64decode' } }]);
  });

  it('parses integer formats into flags, width and conversion', () => {
    assert.deepEqual(parts('${%05d:n}')[0], { kind: 'var', ref: { name: 'n', indexed: false }, format: { kind: 'int', flags: '0', width: 5, conversion: 'd' } });
    assert.deepEqual(parts('${%x:n}')[0], { kind: 'var', ref: { name: 'n', indexed: false }, format: { kind: 'int', flags: '', width: 0, conversion: 'x' } });
    assert.deepEqual(parts('${%-8X:n}')[0], { kind: 'var', ref: { name: 'n', indexed: false }, format: { kind: 'int', flags: '-', width: 8, conversion: 'X' } });
    assert.deepEqual(parts('${%,d:n}')[0], { kind: 'var', ref: { name: 'n', indexed: false }, format: { kind: 'int', flags: ',', width: 0, conversion: 'd' } });
  });

  it('refuses formats Java would reject at run time', () => {
    assert.match(error('${%05s:n}'), /unknown format `%05s`/);
    assert.match(error('${05d:n}'), /unknown format `05d`/);
    assert.match(error('${%-d:n}'), /need a width/);
    assert.match(error('${%-05d:n}'), /cannot be combined/);
    assert.match(error('${%+x:n}'), /apply only to `d`/);
    assert.match(error('${%#d:n}'), /does not apply to `d`/);
    assert.match(error('${upper:n}'), /unknown format `upper`/);
  });

  it('parses replace with any separator, regexes holding `:` and `}`, and the g flag', () => {
    assert.deepEqual(parts('${replace/[aeiou]/_/g:name}')[0], {
      kind: 'var', ref: { name: 'name', indexed: false }, format: { kind: 'replace', regex: '[aeiou]', replacement: '_', global: true },
    });
    assert.deepEqual(parts('a${replace#/+#-#:path}b'), [
      { kind: 'literal', text: 'a' },
      { kind: 'var', ref: { name: 'path', indexed: false }, format: { kind: 'replace', regex: '/+', replacement: '-', global: false } },
      { kind: 'literal', text: 'b' },
    ]);
    assert.deepEqual(parts('${replace/x{2}:/$1/:v}')[0], {
      kind: 'var', ref: { name: 'v', indexed: false }, format: { kind: 'replace', regex: 'x{2}:', replacement: '$1', global: false },
    });
    // a variable that happens to be called `replace` or `replaced` is a plain variable
    assert.deepEqual(parts('${replace}${replaced}'), [plainVar('replace'), plainVar('replaced')]);
  });

  it('refuses malformed replace expressions', () => {
    assert.match(error('${replace/(/x/:v}'), /invalid regular expression `\(`/);
    assert.match(error('${replace/a/b:v}'), /three `\/`/);
    assert.match(error('${replace/a/b/i:v}'), /unknown flags `i`/);
    assert.match(error('${replace/a/b/g}'), /missing `:variable`/);
    assert.match(error('${replace//b/:v}'), /regular expression is empty/);
  });

  it('refuses a missing `}`, an empty variable and bad references', () => {
    assert.match(error('/items/${id'), /`\$\{id` has no closing `\}`/);
    assert.match(error('a ${} b'), /names no variable/);
    assert.match(error('${urlencode:}'), /names no variable/);
    assert.match(error('${a[3]}'), /not a variable reference/);
  });

  it('refuses urlencode inside a value that is URL-encoded as a whole', () => {
    assert.match(error('${urlencode:x}', { urlEncoded: true }), /URL-encoded as a whole/);
    assert.ok(compilePattern('${x}', { urlEncoded: true }).ok);
  });

  it('makes verbatim text a pattern that recompiles to the same parts', () => {
    const literal = literalPattern('cost: ${price}');
    assert.deepEqual(literal.parts, [{ kind: 'literal', text: 'cost: ${price}' }]);
    assert.equal(literal.source, 'cost: $${price}');
    assert.deepEqual(parts(literal.source), literal.parts);
    assert.equal(constantText(literal), 'cost: ${price}');
    const compiled = compilePattern('${host}:80');
    assert.ok(compiled.ok);
    assert.equal(constantText(compiled.value), undefined);
  });

  it('reports a malformed pattern at the position of its node', () => {
    const result = decodeYaml(patternCodec(), 'name: x\npath: /a/${b\n', { select: child('path') });
    assert.equal(result.value, INVALID);
    assert.deepEqual(result.problems, ['2:7 `${b` has no closing `}` (write `$${` for a literal `${`)']);
  });
});

describe('variable references', () => {
  it('reads `name` and `name[.]`', () => {
    assert.deepEqual(parseVarRef(' movies '), { ok: true, value: { name: 'movies', indexed: false } });
    assert.deepEqual(parseVarRef('movies[.]'), { ok: true, value: { name: 'movies', indexed: true } });
    assert.deepEqual(parseVarRef('hyperfoil.session.id'), { ok: true, value: { name: 'hyperfoil.session.id', indexed: false } });
  });

  it('refuses empty names and other brackets', () => {
    assert.equal(parseVarRef('  ').ok, false);
    assert.equal(parseVarRef('[.]').ok, false);
    assert.equal(parseVarRef('a[0]').ok, false);
    assert.equal(parseVarRef('a[.]b').ok, false);
  });

  it('reads array targets `name[size]`', () => {
    assert.deepEqual(parseArrayTarget('itemIds[10]'), { ok: true, value: { name: 'itemIds', maxSize: 10 } });
    assert.deepEqual(parseArrayTarget(' ids [ 3 ] '), { ok: true, value: { name: 'ids', maxSize: 3 } });
    assert.equal(parseArrayTarget('ids[0]').ok, false);
    assert.equal(parseArrayTarget('ids').ok, false);
    assert.equal(parseArrayTarget('[4]').ok, false);
  });
});
