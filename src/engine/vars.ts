/**
 * Session variables: a per-session table of slots, resolved from names when the scenario is compiled.
 * A slot holds an int or an object and a set flag (Hyperfoil's IntVar/ObjectVar); the kind is that of the last
 * write. Arrays (`IntArrayVar`, `ObjectArrayVar`) are object values whose elements carry their own set flags;
 * `name[.]` reaches the element at the index of the current sequence instance.
 *
 * Reading an unset variable ends the session with Hyperfoil's message "Variable foo is not set!".
 */
import { SessionFailure } from './errors.js';

/**
 * Zeroes a small typed array with a plain loop, which the JIT inlines: `TypedArray.prototype.fill` is a call into
 * the V8 runtime (a few hundred ns) and session starts do this for every session.
 */
export function zeroSmall(array: Uint8Array): void {
  for (let i = 0; i < array.length; i++) array[i] = 0;
}

export const VAR_UNSET = 0;
export const VAR_INT = 1;
export const VAR_OBJECT = 2;

export class VarTable {
  readonly kinds: Uint8Array;
  readonly ints: Float64Array;
  readonly objects: unknown[];

  constructor(readonly size: number) {
    this.kinds = new Uint8Array(size);
    this.ints = new Float64Array(size);
    this.objects = new Array<unknown>(size).fill(undefined);
  }

  /** Unsets every slot (a new session). */
  reset(): void {
    const kinds = this.kinds;
    const objects = this.objects;
    for (let i = 0; i < kinds.length; i++) {
      kinds[i] = VAR_UNSET;
      objects[i] = undefined;
    }
  }
}

/** An array of ints with per-element set flags, stored as the object value of a variable. */
export class IntArrayVar {
  readonly values: Float64Array;
  readonly set: Uint8Array;

  constructor(readonly length: number) {
    this.values = new Float64Array(length);
    this.set = new Uint8Array(length);
  }

  reset(): void {
    this.set.fill(0);
  }
}

/** An array of objects with per-element set flags, stored as the object value of a variable. */
export class ObjectArrayVar {
  readonly values: unknown[];
  readonly set: Uint8Array;

  constructor(readonly length: number) {
    this.values = new Array<unknown>(length).fill(undefined);
    this.set = new Uint8Array(length);
  }

  reset(): void {
    this.set.fill(0);
    this.values.fill(undefined);
  }
}

/** What an accessor needs from a session (kept minimal so vars do not depend on the session class). */
export interface VarHolder {
  readonly vars: VarTable;
  /** Index of the current sequence instance (0 outside a concurrent sequence). */
  readonly sequenceIndex: number;
}

/** Read access to one variable reference, compiled from `name` or `name[.]`. */
export interface ReadAccess {
  /** As written: `foo` or `foo[.]`. */
  readonly name: string;
  isSet(session: VarHolder): boolean;
  /** The int value; fails the session when unset or not an int. */
  getInt(session: VarHolder): number;
  /** The value as an object (an int var gives a number); fails the session when unset. */
  getObject(session: VarHolder): unknown;
}

export interface WriteAccess extends ReadAccess {
  setInt(session: VarHolder, value: number): void;
  setObject(session: VarHolder, value: unknown): void;
  unset(session: VarHolder): void;
}

export function notSet(name: string): SessionFailure {
  return new SessionFailure(`Variable ${name} is not set!`);
}

function notInt(name: string): SessionFailure {
  return new SessionFailure(`Variable ${name} does not hold an integer; convert it first (e.g. with stringToInt)`);
}

/** A plain variable (`foo`), also used for the read-only `hyperfoil.*` specials. */
export class SlotAccess implements WriteAccess {
  constructor(readonly name: string, readonly slot: number) {}

  isSet(session: VarHolder): boolean {
    return session.vars.kinds[this.slot] !== VAR_UNSET;
  }

  getInt(session: VarHolder): number {
    const vars = session.vars;
    const kind = vars.kinds[this.slot];
    if (kind === VAR_INT) return vars.ints[this.slot]!;
    if (kind === VAR_UNSET) throw notSet(this.name);
    const value = vars.objects[this.slot];
    if (typeof value === 'number') return value;
    throw notInt(this.name);
  }

  getObject(session: VarHolder): unknown {
    const vars = session.vars;
    const kind = vars.kinds[this.slot];
    if (kind === VAR_OBJECT) return vars.objects[this.slot];
    if (kind === VAR_INT) return vars.ints[this.slot];
    throw notSet(this.name);
  }

  setInt(session: VarHolder, value: number): void {
    const vars = session.vars;
    vars.kinds[this.slot] = VAR_INT;
    vars.ints[this.slot] = value;
    vars.objects[this.slot] = undefined;
  }

  setObject(session: VarHolder, value: unknown): void {
    const vars = session.vars;
    vars.kinds[this.slot] = VAR_OBJECT;
    vars.objects[this.slot] = value;
  }

  unset(session: VarHolder): void {
    session.vars.kinds[this.slot] = VAR_UNSET;
    session.vars.objects[this.slot] = undefined;
  }
}

/** `foo[.]`: the element of the array in `foo` at the current sequence instance's index. */
export class ElementAccess implements WriteAccess {
  readonly name: string;

  constructor(readonly arrayName: string, readonly slot: number) {
    this.name = `${arrayName}[.]`;
  }

  isSet(session: VarHolder): boolean {
    const array = this.arrayOrNull(session);
    if (array === null) return false;
    const index = session.sequenceIndex;
    return index < array.length && array.set[index] === 1;
  }

  getInt(session: VarHolder): number {
    const array = this.array(session);
    const index = this.index(session, array);
    if (array.set[index] !== 1) throw notSet(this.name);
    if (array instanceof IntArrayVar) return array.values[index]!;
    const value = array.values[index];
    if (typeof value === 'number') return value;
    throw notInt(this.name);
  }

  getObject(session: VarHolder): unknown {
    const array = this.array(session);
    const index = this.index(session, array);
    if (array.set[index] !== 1) throw notSet(this.name);
    return array.values[index];
  }

  setInt(session: VarHolder, value: number): void {
    const array = this.array(session);
    const index = this.index(session, array);
    array.values[index] = value;
    array.set[index] = 1;
  }

  setObject(session: VarHolder, value: unknown): void {
    const array = this.array(session);
    const index = this.index(session, array);
    if (array instanceof IntArrayVar) {
      if (typeof value !== 'number') throw new SessionFailure(`Variable ${this.arrayName} is an int array; cannot store a non-integer in ${this.name}`);
      array.values[index] = value;
    } else {
      array.values[index] = value;
    }
    array.set[index] = 1;
  }

  unset(session: VarHolder): void {
    const array = this.arrayOrNull(session);
    if (array === null) return;
    const index = session.sequenceIndex;
    if (index < array.length) {
      array.set[index] = 0;
      if (array instanceof ObjectArrayVar) array.values[index] = undefined;
    }
  }

  private arrayOrNull(session: VarHolder): IntArrayVar | ObjectArrayVar | null {
    const vars = session.vars;
    if (vars.kinds[this.slot] !== VAR_OBJECT) return null;
    const value = vars.objects[this.slot];
    return value instanceof IntArrayVar || value instanceof ObjectArrayVar ? value : null;
  }

  private array(session: VarHolder): IntArrayVar | ObjectArrayVar {
    const vars = session.vars;
    if (vars.kinds[this.slot] !== VAR_OBJECT) throw notSet(this.arrayName);
    const value = vars.objects[this.slot];
    if (value instanceof IntArrayVar || value instanceof ObjectArrayVar) return value;
    throw new SessionFailure(`Variable ${this.arrayName} does not hold an array, so ${this.name} cannot be used`);
  }

  private index(session: VarHolder, array: IntArrayVar | ObjectArrayVar): number {
    const index = session.sequenceIndex;
    if (index >= array.length) {
      throw new SessionFailure(`${this.name}: sequence index ${index} is outside the array (size ${array.length})`);
    }
    return index;
  }
}

/** Parses `foo` / `foo[.]` as written in step configurations. */
export function parseVarName(text: string): { readonly name: string; readonly indexed: boolean } {
  return text.endsWith('[.]') ? { name: text.slice(0, -3), indexed: true } : { name: text, indexed: false };
}
