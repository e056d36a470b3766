/** Command lines, controller addresses and template parameters as the shell reads them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../args.js';
import { parseTarget } from './commands/connection.js';
import { paramFlags, resolveParams } from './params.js';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('splits on white space and keeps quoted text whole', () => {
    assert.deepEqual(tokenize('  run  -d "two words" x '), ['run', '-d', 'two words', 'x']);
    assert.deepEqual(tokenize(`run -d 'it''s' -P"A=b c"`), ['run', '-d', 'its', '-PA=b c']);
    assert.deepEqual(tokenize('upload my\\ file.yaml'), ['upload', 'my file.yaml']);
    assert.deepEqual(tokenize('run -d "say \\"hi\\""'), ['run', '-d', 'say "hi"']);
    assert.deepEqual(tokenize('stats # the rest is a comment'), ['stats']);
    assert.deepEqual(tokenize('run -d a#b'), ['run', '-d', 'a#b']);
    assert.deepEqual(tokenize('run -d ""'), ['run', '-d', '']);
    assert.deepEqual(tokenize(''), []);
  });

  it('refuses an unterminated quote', () => {
    assert.throws(() => tokenize('run -d "oops'), /unterminated double quote/);
    assert.throws(() => tokenize("run -d 'oops"), /unterminated single quote/);
  });
});

describe('parseTarget (connect)', () => {
  it('defaults to localhost:8090 over HTTP', () => {
    assert.deepEqual(parseTarget(undefined, {}), { host: 'localhost', port: 8090, tls: false });
  });

  it('reads host, host:port, [v6]:port and URLs; URL ports default to the scheme\'s', () => {
    assert.deepEqual(parseTarget('ctl.example', {}), { host: 'ctl.example', port: 8090, tls: false });
    assert.deepEqual(parseTarget('ctl:9000', {}), { host: 'ctl', port: 9000, tls: false });
    assert.deepEqual(parseTarget('[::1]:9000', {}), { host: '::1', port: 9000, tls: false });
    assert.deepEqual(parseTarget('https://ctl.example', {}), { host: 'ctl.example', port: 443, tls: true });
    assert.deepEqual(parseTarget('http://ctl.example:8091/', {}), { host: 'ctl.example', port: 8091, tls: false });
  });

  it('a port ending in 443 means TLS unless --no-tls; -p and --tls override', () => {
    assert.equal(parseTarget('ctl:8443', {}).tls, true);
    assert.equal(parseTarget('ctl:8443', { noTls: true }).tls, false);
    assert.deepEqual(parseTarget('ctl:1000', { port: '2000', tls: true }), { host: 'ctl', port: 2000, tls: true });
  });

  it('refuses what is not an address', () => {
    assert.throws(() => parseTarget('ctl:http', {}), /not a port number/);
    assert.throws(() => parseTarget('ftp://ctl', {}), /use http:\/\/ or https:\/\//);
    assert.throws(() => parseTarget(':8090', {}), /names no host/);
  });
});

describe('resolveParams (run -P/-E/-r)', () => {
  const parse = (argv: string[]) => parseArgs(argv, paramFlags);

  it('adds to the remembered parameters, -PNAME forgets one, -PNAME= sets it empty', () => {
    const remembered = { A: '1', B: '2' };
    assert.deepEqual(resolveParams(remembered, parse(['-PC=3', '-PA', '-PB='])), { B: '', C: '3' });
    assert.deepEqual(remembered, { A: '1', B: '2' }, 'the remembered set is not changed in place');
  });

  it('-E sets several empty, -r starts from nothing', () => {
    assert.deepEqual(resolveParams({ A: '1' }, parse(['-E', 'X,Y', '-r'])), { X: '', Y: '' });
    assert.deepEqual(resolveParams({ A: '1' }, parse(['-PA=x=y'])), { A: 'x=y' }, 'only the first = separates');
    assert.throws(() => resolveParams({}, parse(['-P=1'])), /has no name/);
  });
});
