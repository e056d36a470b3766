/**
 * Actions and steps that write variables: `set`, `setInt`, `unset`, `addToInt`, `stringToInt`, `template`,
 * `timestamp`.
 *
 * Ints behave as Java ints (Hyperfoil's variables): `addToInt` wraps around at 2^31.
 */
import type {
  AddToIntConfig, SetConfig, SetIntConfig, StringToIntConfig, TemplateConfig, TimestampConfig, UnsetConfig,
} from '../../config/steps/index.js';
import type { CompileContext, IntValue } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import { valueToString } from '../pattern.js';
import type { CompiledPattern } from '../pattern.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Action } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import type { IntTest } from './conditions.js';
import { compileIntTest } from './conditions.js';
import { compileDateFormat } from './date-format.js';
import type { DateFormatter } from './date-format.js';

// ---------------------------------------------------------------------------------------------------------------
// set

class SetTextAction implements Action {
  constructor(private readonly access: WriteAccess, private readonly text: string) {}

  run(session: Session): void {
    this.access.setObject(session, this.text);
  }
}

/** Copies `source` (an array, a list, or one value for every element) into a fresh object array. */
function fillObjectArray(array: ObjectArrayVar, source: unknown, from: ReadAccess): void {
  if (source === null || source === undefined) return;
  if (source instanceof ObjectArrayVar) {
    const n = Math.min(array.length, source.length);
    for (let i = 0; i < n; i++) {
      if (source.set[i] === 1) {
        array.values[i] = source.values[i];
        array.set[i] = 1;
      }
    }
  } else if (source instanceof IntArrayVar) {
    throw new SessionFailure(`set: variable ${from.name} holds an int array, which cannot initialize an object array`);
  } else if (Array.isArray(source)) {
    const n = Math.min(array.length, source.length);
    for (let i = 0; i < n; i++) {
      array.values[i] = source[i];
      array.set[i] = 1;
    }
  } else {
    for (let i = 0; i < array.length; i++) {
      array.values[i] = source;
      array.set[i] = 1;
    }
  }
}

function fillIntArray(array: IntArrayVar, source: unknown, from: ReadAccess): void {
  if (source === null || source === undefined) return;
  if (typeof source === 'number') {
    array.values.fill(source);
    array.set.fill(1);
  } else if (source instanceof IntArrayVar) {
    const n = Math.min(array.length, source.length);
    for (let i = 0; i < n; i++) {
      if (source.set[i] === 1) {
        array.values[i] = source.values[i]!;
        array.set[i] = 1;
      }
    }
  } else if (Array.isArray(source)) {
    const n = Math.min(array.length, source.length);
    for (let i = 0; i < n; i++) {
      const value = source[i];
      if (typeof value !== 'number') throw new SessionFailure(`set: element ${i} of ${from.name} is not an integer`);
      array.values[i] = value;
      array.set[i] = 1;
    }
  } else {
    throw new SessionFailure(`set: variable ${from.name} holds ${source instanceof ObjectArrayVar ? 'an object array' : `\`${valueToString(source)}\``}, which cannot initialize an int array`);
  }
}

/**
 * `set` with `objectArray`/`intArray`: the array is allocated once per session and every run hands it out again
 * with all elements unset (then filled from `fromVar`).
 */
class SetArrayAction implements Action {
  constructor(
    private readonly access: WriteAccess,
    private readonly key: StateKey<ObjectArrayVar | IntArrayVar>,
    private readonly from: ReadAccess | null,
  ) {}

  run(session: Session): void {
    const array = session.state(this.key);
    array.reset();
    const from = this.from;
    if (from !== null) {
      const source = from.getObject(session);
      if (array instanceof ObjectArrayVar) fillObjectArray(array, source, from);
      else fillIntArray(array, source, from);
    }
    this.access.setObject(session, array);
  }
}

function compileSet(config: SetConfig, cx: CompileContext): Action {
  const access = cx.writeVar(config.var, 'object');
  const value = config.value;
  if (value.kind === 'text') return new SetTextAction(access, value.text);
  const size = value.size;
  const key = value.kind === 'objectArray'
    ? cx.reserveState<ObjectArrayVar | IntArrayVar>({ create: () => new ObjectArrayVar(size) })
    : cx.reserveState<ObjectArrayVar | IntArrayVar>({ create: () => new IntArrayVar(size) });
  return new SetArrayAction(access, key, value.fromVar ? cx.readVar(value.fromVar) : null);
}

// ---------------------------------------------------------------------------------------------------------------
// setInt

const VALUE_CONSTANT = 0;
const VALUE_MIN = 1;
const VALUE_MAX = 2;

class SetIntAction implements Action {
  constructor(
    private readonly access: WriteAccess,
    private readonly mode: number,
    private readonly values: readonly IntValue[],
    private readonly onlyIfNotSet: boolean,
    private readonly condition: IntTest,
  ) {}

  run(session: Session): void {
    const access = this.access;
    if (this.onlyIfNotSet && access.isSet(session)) return;
    if (!this.condition.isEmpty) {
      if (!access.isSet(session) || !this.condition.test(session, access.getInt(session))) return;
    }
    const values = this.values;
    let result = values[0]!.get(session);
    if (this.mode !== VALUE_CONSTANT) {
      for (let i = 1; i < values.length; i++) {
        const v = values[i]!.get(session);
        if (this.mode === VALUE_MIN ? v < result : v > result) result = v;
      }
    }
    access.setInt(session, result);
  }
}

function compileSetInt(config: SetIntConfig, cx: CompileContext): Action {
  const access = cx.writeVar(config.var, 'int');
  const value = config.value;
  let mode = VALUE_CONSTANT;
  let values: IntValue[];
  switch (value.kind) {
    case 'value': values = [cx.intValue({ value: value.value })]; break;
    case 'fromVar': values = [cx.intValue({ fromVar: value.fromVar })]; break;
    default:
      mode = value.kind === 'min' ? VALUE_MIN : VALUE_MAX;
      values = value.of.map((source) => cx.intValue(source));
  }
  return new SetIntAction(access, mode, values, config.onlyIfNotSet, compileIntTest(cx, config.intCondition));
}

// ---------------------------------------------------------------------------------------------------------------
// unset, addToInt, stringToInt

class UnsetAction implements Action {
  constructor(private readonly access: WriteAccess) {}

  run(session: Session): void {
    this.access.unset(session);
  }
}

class AddToIntAction implements Action {
  constructor(private readonly access: WriteAccess, private readonly delta: number, private readonly orElse: number | undefined) {}

  run(session: Session): void {
    const access = this.access;
    if (this.orElse !== undefined && !access.isSet(session)) {
      access.setInt(session, this.orElse);
      return;
    }
    access.setInt(session, (access.getInt(session) + this.delta) | 0);
  }
}

const INT_TEXT = /^[+-]?\d+$/;

/** Parses a Java int from text; NaN when it is not one (or out of range). */
export function parseJavaInt(text: string): number {
  if (!INT_TEXT.test(text)) return Number.NaN;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : Number.NaN;
}

class StringToIntAction implements Action {
  constructor(private readonly from: ReadAccess, private readonly to: WriteAccess) {}

  run(session: Session): void {
    const value = this.from.getObject(session);
    const parsed = typeof value === 'number' ? value : parseJavaInt(valueToString(value));
    if (!Number.isNaN(parsed)) this.to.setInt(session, parsed);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// template, timestamp

class TemplateAction implements Action {
  constructor(private readonly access: WriteAccess, private readonly pattern: CompiledPattern) {}

  run(session: Session): void {
    this.access.setObject(session, this.pattern.render(session));
  }
}

class TimestampAction implements Action {
  constructor(private readonly access: WriteAccess, private readonly format: DateFormatter | null) {}

  run(session: Session): void {
    const nowMs = session.runtime.clock.wallMs();
    this.access.setObject(session, this.format === null ? String(nowMs) : this.format.format(nowMs));
  }
}

export function registerVariableSteps(registry: EngineRegistry): void {
  registry.registerAction<SetConfig>('set', compileSet);
  registry.registerAction<SetIntConfig>('setInt', compileSetInt);
  registry.registerAction<UnsetConfig>('unset', (config, cx) => new UnsetAction(cx.writeVar(config.var, 'any')));
  registry.registerAction<AddToIntConfig>('addToInt', (config, cx) => new AddToIntAction(cx.writeVar(config.var, 'int'), config.value, config.orElseSetTo));
  registry.registerAction<StringToIntConfig>('stringToInt', (config, cx) => new StringToIntAction(cx.readVar(config.fromVar), cx.writeVar(config.toVar, 'int')));
  registry.registerAction<TemplateConfig>('template', (config, cx) => new TemplateAction(cx.writeVar(config.toVar, 'object'), cx.pattern(config.pattern)));
  registry.registerAction<TimestampConfig>('timestamp', (config, cx) => new TimestampAction(
    cx.writeVar(config.toVar, 'object'),
    config.dateFormat === undefined ? null : compileDateFormat(config.dateFormat, config.localeCountry, (message) => cx.error(`timestamp: ${message}`)),
  ));
}

