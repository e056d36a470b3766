import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElementAccess, IntArrayVar, ObjectArrayVar, parseVarName, SlotAccess, VarTable } from './vars.js';

const session = (size = 4) => ({ vars: new VarTable(size), sequenceIndex: 0 });

test('int and object slots with set flags; the kind is that of the last write', () => {
  const s = session();
  const x = new SlotAccess('x', 0);
  assert.equal(x.isSet(s), false);
  assert.throws(() => x.getInt(s), { message: 'Variable x is not set!' });
  assert.throws(() => x.getObject(s), { message: 'Variable x is not set!' });
  x.setInt(s, 5);
  assert.equal(x.getInt(s), 5);
  assert.equal(x.getObject(s), 5);
  x.setObject(s, 'five');
  assert.equal(x.getObject(s), 'five');
  assert.throws(() => x.getInt(s), /Variable x does not hold an integer/);
  x.unset(s);
  assert.equal(x.isSet(s), false);
  x.setInt(s, 1);
  s.vars.reset();
  assert.equal(x.isSet(s), false, 'a new session starts with every variable unset');
});

test('name[.] addresses the element at the sequence index, with its own set flag', () => {
  const s = session();
  const array = new SlotAccess('a', 1);
  const element = new ElementAccess('a', 1);
  assert.equal(element.isSet(s), false);
  assert.throws(() => element.getInt(s), { message: 'Variable a is not set!' });
  const values = new ObjectArrayVar(2);
  array.setObject(s, values);
  s.sequenceIndex = 1;
  assert.throws(() => element.getObject(s), { message: 'Variable a[.] is not set!' });
  element.setObject(s, 'second');
  assert.equal(element.getObject(s), 'second');
  s.sequenceIndex = 0;
  assert.equal(element.isSet(s), false);
  s.sequenceIndex = 2;
  assert.throws(() => element.setObject(s, 'x'), /sequence index 2 is outside the array \(size 2\)/);
  const ints = new IntArrayVar(3);
  array.setObject(s, ints);
  s.sequenceIndex = 2;
  element.setInt(s, 7);
  assert.equal(ints.values[2], 7);
  assert.throws(() => element.setObject(s, 'x'), /int array/);
  array.setObject(s, 'not an array');
  assert.throws(() => element.getObject(s), /does not hold an array/);
});

test('parseVarName', () => {
  assert.deepEqual(parseVarName('foo'), { name: 'foo', indexed: false });
  assert.deepEqual(parseVarName('foo[.]'), { name: 'foo', indexed: true });
});
