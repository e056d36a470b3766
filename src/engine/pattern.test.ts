import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern } from './pattern.js';
import { pattern } from './testing/builders.js';
import { ElementAccess, IntArrayVar, SlotAccess, VarTable } from './vars.js';
import type { ReadAccess, VarHolder } from './vars.js';
import type { VarRef } from '../config/model.js';
import { SessionFailure } from './errors.js';

function holder(): { session: VarHolder & { sequenceIndex: number }; resolve: (ref: VarRef) => ReadAccess; set: (name: string, v: unknown) => void } {
  const names = new Map<string, number>();
  const vars = new VarTable(16);
  const slot = (name: string): number => {
    if (!names.has(name)) names.set(name, names.size);
    return names.get(name)!;
  };
  const session = { vars, sequenceIndex: 0 };
  return {
    session,
    resolve: (ref) => (ref.indexed ? new ElementAccess(ref.name, slot(ref.name)) : new SlotAccess(ref.name, slot(ref.name))),
    set: (name, value) => {
      const access = new SlotAccess(name, slot(name));
      if (typeof value === 'number') access.setInt(session, value);
      else access.setObject(session, value);
    },
  };
}

test('renders literals and variables of both kinds, bytes as UTF-8', () => {
  const { session, resolve, set } = holder();
  const compiled = compilePattern(pattern('/user/', { v: 'name' }, '?n=', { v: 'n' }, '&b=', { v: 'bytes' }), resolve);
  set('name', 'joe');
  set('n', 7);
  set('bytes', Buffer.from('žluť', 'utf8'));
  assert.equal(compiled.render(session), '/user/joe?n=7&b=žluť');
  assert.equal(compiled.isConstant, false);
  const constant = compilePattern(pattern('/static'), resolve);
  assert.equal(constant.isConstant, true);
  assert.equal(constant.render(session), '/static');
});

test('every format: urlencode, base64encode, base64decode, int, replace', () => {
  const { session, resolve, set } = holder();
  set('q', 'a b&c');
  set('cred', 'user:pass');
  set('enc', 'dXNlcjpwYXNz');
  set('n', 42);
  set('s', 'foo boo');
  const render = (f: Parameters<typeof pattern>[0]): string => compilePattern(pattern(f), resolve).render(session);
  assert.equal(render({ v: 'q', f: { kind: 'urlencode' } }), 'a+b%26c');
  assert.equal(render({ v: 'cred', f: { kind: 'base64encode' } }), 'dXNlcjpwYXNz');
  assert.equal(render({ v: 'enc', f: { kind: 'base64decode' } }), 'user:pass');
  assert.equal(render({ v: 'n', f: { kind: 'int', flags: '0', width: 5, conversion: 'd' } }), '00042');
  assert.equal(render({ v: 'n', f: { kind: 'int', flags: '#', width: 0, conversion: 'X' } }), '0X2A');
  assert.equal(render({ v: 'n', f: { kind: 'urlencode' } }), '42');
  assert.equal(render({ v: 's', f: { kind: 'replace', regex: 'o+', replacement: '0', global: true } }), 'f0 b0');
  assert.equal(render({ v: 's', f: { kind: 'replace', regex: 'o', replacement: '0', global: false } }), 'f0o boo');
  // An int format on a string variable fails the session (not a crash, not a silent NaN).
  assert.throws(() => render({ v: 'q', f: { kind: 'int', flags: '', width: 0, conversion: 'd' } }), SessionFailure);
});

test('an unset variable fails with Hyperfoil\'s message', () => {
  const { session, resolve } = holder();
  const compiled = compilePattern(pattern('x=', { v: 'missing' }), resolve);
  assert.throws(() => compiled.render(session), { name: 'SessionFailure', message: 'Variable missing is not set!' });
});

test('var[.] reads the element at the current sequence index', () => {
  const { session, resolve, set } = holder();
  const array = new IntArrayVar(3);
  set('ids', array);
  const element = resolve({ name: 'ids', indexed: true }) as ElementAccess;
  session.sequenceIndex = 2;
  element.setInt(session, 99);
  const compiled = compilePattern(pattern('id=', { v: 'ids[.]' }), resolve);
  assert.equal(compiled.render(session), 'id=99');
  session.sequenceIndex = 1;
  assert.throws(() => compiled.render(session), { message: 'Variable ids[.] is not set!' });
});

test('write() encodes latin1 or utf8 into a buffer and reports overflow', () => {
  const { session, resolve, set } = holder();
  set('w', 'é€');
  const compiled = compilePattern(pattern('[', { v: 'w' }, ']é'), resolve);
  const buffer = Buffer.alloc(32);
  const end = compiled.write(session, buffer, 4, 'utf8');
  assert.equal(buffer.subarray(4, end).toString('utf8'), '[é€]é');
  const endLatin1 = compiled.write(session, buffer, 0, 'latin1');
  assert.equal(endLatin1, 5);
  assert.equal(buffer[4], 0xe9); // é as latin1
  assert.equal(compiled.write(session, Buffer.alloc(6), 0, 'utf8'), -1);
  assert.equal(compiled.write(session, Buffer.alloc(9), 0, 'utf8'), 9);
});
