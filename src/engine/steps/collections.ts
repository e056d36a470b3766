/**
 * Arrays and lists in variables: `addItem`, `getItem`, `setItem`, `removeItem`, `getIndex`, `getSize`.
 *
 * Arrays are `ObjectArrayVar`/`IntArrayVar` (from `set.objectArray`, the `array` processor, `json.toArray`); lists
 * are JS arrays (from the `collection` processor). Following Hyperfoil, `addItem` on an unset source or target, or
 * on a full array, drops the item with a warning rather than failing the session.
 */
import type {
  AddItemConfig, GetIndexConfig, GetItemConfig, GetSizeConfig, ItemFilter, ObjectSource, RemoveItemConfig, SetItemConfig,
} from '../../config/steps/index.js';
import type { CompileContext, IntValue } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import { valueToString } from '../pattern.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { Action } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { ReadAccess, VarHolder, WriteAccess } from '../vars.js';
import { boolOf, compileIntTest, compileStringMatcher } from './conditions.js';
import type { IntTest, StringMatcher } from './conditions.js';
import { parseJavaInt } from './variables.js';
import { workerDataOf } from './worker-data.js';
import type { WorkerData } from './worker-data.js';

/** A value given verbatim or read from a variable. */
class ItemSource {
  constructor(private readonly text: string | null, readonly access: ReadAccess | null) {}

  isAvailable(session: VarHolder): boolean {
    return this.access === null || this.access.isSet(session);
  }

  get(session: VarHolder): unknown {
    return this.access === null ? this.text : this.access.getObject(session);
  }
}

function itemSource(cx: CompileContext, source: ObjectSource): ItemSource {
  return 'value' in source ? new ItemSource(source.value, null) : new ItemSource(null, cx.readVar(source.fromVar));
}

function intItem(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  const parsed = parseJavaInt(valueToString(value));
  if (Number.isNaN(parsed)) throw new SessionFailure(`${what}: \`${valueToString(value)}\` is not an integer, so it cannot go into an int array`);
  return parsed;
}

function checkIndex(index: number, length: number, what: string, name: string): void {
  if (!(index >= 0 && index < length)) throw new SessionFailure(`${what}: index ${index} is outside ${name} (size ${length})`);
}

// ---------------------------------------------------------------------------------------------------------------

class AddItemAction implements Action {
  constructor(private readonly item: ItemSource, private readonly to: ReadAccess, private readonly data: WorkerData, private readonly at: string) {}

  run(session: Session): void {
    if (!this.item.isAvailable(session)) {
      this.data.warnOnce(`${this.at}:from`, `${this.at}: addItem: source variable ${this.item.access!.name} is not set; nothing added`);
      return;
    }
    if (!this.to.isSet(session)) {
      this.data.warnOnce(`${this.at}:to`, `${this.at}: addItem: variable ${this.to.name} is not set (it should hold an array); nothing added`);
      return;
    }
    const target = this.to.getObject(session);
    const item = this.item.get(session);
    if (Array.isArray(target)) {
      target.push(item);
      return;
    }
    if (!(target instanceof ObjectArrayVar || target instanceof IntArrayVar)) {
      throw new SessionFailure(`addItem: variable ${this.to.name} holds no array`);
    }
    for (let i = 0; i < target.length; i++) {
      if (target.set[i] === 1) continue;
      if (target instanceof IntArrayVar) target.values[i] = intItem(item, 'addItem');
      else target.values[i] = item;
      target.set[i] = 1;
      return;
    }
    this.data.warnOnce(`${this.at}:full`, `${this.at}: addItem: the array in ${this.to.name} is full (${target.length} items); items are dropped`);
  }
}

class GetItemAction implements Action {
  constructor(private readonly from: ReadAccess, private readonly index: IntValue, private readonly to: WriteAccess) {}

  run(session: Session): void {
    const source = this.from.getObject(session);
    const index = this.index.get(session);
    if (source instanceof ObjectArrayVar || source instanceof IntArrayVar) {
      checkIndex(index, source.length, 'getItem', this.from.name);
      if (source.set[index] !== 1) this.to.unset(session);
      else if (source instanceof IntArrayVar) this.to.setInt(session, source.values[index]!);
      else this.to.setObject(session, source.values[index]);
    } else if (Array.isArray(source)) {
      checkIndex(index, source.length, 'getItem', this.from.name);
      const item: unknown = source[index];
      if (typeof item === 'number') this.to.setInt(session, item);
      else this.to.setObject(session, item);
    } else {
      throw new SessionFailure(`getItem: variable ${this.from.name} holds no array or list`);
    }
  }
}

class SetItemAction implements Action {
  constructor(private readonly to: ReadAccess, private readonly index: IntValue, private readonly item: ItemSource) {}

  run(session: Session): void {
    const target = this.to.getObject(session);
    const index = this.index.get(session);
    const item = this.item.get(session);
    if (target instanceof ObjectArrayVar || target instanceof IntArrayVar) {
      checkIndex(index, target.length, 'setItem', this.to.name);
      if (target instanceof IntArrayVar) target.values[index] = intItem(item, 'setItem');
      else target.values[index] = item;
      target.set[index] = 1;
    } else if (Array.isArray(target)) {
      checkIndex(index, target.length, 'setItem', this.to.name);
      target[index] = item;
    } else {
      throw new SessionFailure(`setItem: variable ${this.to.name} holds no array or list`);
    }
  }
}

/** Removes element `index`; the set elements after it move one to the left. */
class RemoveItemAction implements Action {
  constructor(private readonly from: ReadAccess, private readonly index: IntValue) {}

  run(session: Session): void {
    const target = this.from.getObject(session);
    const index = this.index.get(session);
    if (target instanceof ObjectArrayVar || target instanceof IntArrayVar) {
      checkIndex(index, target.length, 'removeItem', this.from.name);
      let last = index;
      for (let i = index + 1; i < target.length && target.set[i] === 1; i++) {
        target.values[i - 1] = target.values[i]!;
        last = i;
      }
      target.set[last] = 0;
      if (target instanceof ObjectArrayVar) target.values[last] = undefined;
    } else if (Array.isArray(target)) {
      checkIndex(index, target.length, 'removeItem', this.from.name);
      target.splice(index, 1);
    } else {
      throw new SessionFailure(`removeItem: variable ${this.from.name} holds no array or list`);
    }
  }
}

/** Equality for lookups: ints by value, anything else by its text (bytes as UTF-8). */
function sameItem(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b || String(a) === String(b);
  return valueToString(a) === valueToString(b);
}

class GetIndexAction implements Action {
  constructor(private readonly collection: ReadAccess, private readonly item: ItemSource, private readonly to: WriteAccess) {}

  run(session: Session): void {
    const source = this.collection.getObject(session);
    const item = this.item.get(session);
    let found = -1;
    if (source instanceof ObjectArrayVar || source instanceof IntArrayVar) {
      for (let i = 0; i < source.length; i++) {
        if (source.set[i] === 1 && sameItem(source.values[i], item)) {
          found = i;
          break;
        }
      }
    } else if (Array.isArray(source)) {
      for (let i = 0; i < source.length; i++) {
        if (sameItem(source[i], item)) {
          found = i;
          break;
        }
      }
    } else {
      throw new SessionFailure(`getIndex: variable ${this.collection.name} holds no array or list`);
    }
    this.to.setInt(session, found);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// getSize

interface ItemTest {
  matches(session: VarHolder, item: unknown): boolean;
}

class IntItemTest implements ItemTest {
  constructor(private readonly test: IntTest) {}

  matches(session: VarHolder, item: unknown): boolean {
    const value = typeof item === 'number' ? item : parseJavaInt(valueToString(item));
    return !Number.isNaN(value) && this.test.test(session, value);
  }
}

class StringItemTest implements ItemTest {
  constructor(private readonly matcher: StringMatcher) {}

  matches(session: VarHolder, item: unknown): boolean {
    return this.matcher.matches(session, valueToString(item));
  }
}

class BoolItemTest implements ItemTest {
  constructor(private readonly expected: boolean) {}

  matches(_session: VarHolder, item: unknown): boolean {
    return boolOf(item) === this.expected;
  }
}

function itemTest(cx: CompileContext, filter: ItemFilter): ItemTest {
  switch (filter.kind) {
    case 'int': return new IntItemTest(compileIntTest(cx, filter.comparisons));
    case 'string': return new StringItemTest(compileStringMatcher(cx, filter.match));
    default: return new BoolItemTest(filter.value);
  }
}

/**
 * When `fromVar` is unset or holds no array or list: `undefinedValue` (Hyperfoil's default is -1).
 * Without a filter: for an array, the index of its last set element + 1 (Hyperfoil's rule); for a list, its length.
 * With a filter: the number of set elements that match.
 */
class GetSizeAction implements Action {
  constructor(
    private readonly from: ReadAccess,
    private readonly to: WriteAccess,
    private readonly undefinedValue: number,
    private readonly filter: ItemTest | null,
  ) {}

  run(session: Session): void {
    const source = this.from.isSet(session) ? this.from.getObject(session) : undefined;
    let size: number;
    if (source instanceof ObjectArrayVar || source instanceof IntArrayVar) {
      size = 0;
      const filter = this.filter;
      for (let i = 0; i < source.length; i++) {
        if (source.set[i] !== 1) continue;
        if (filter === null) size = i + 1;
        else if (filter.matches(session, source.values[i])) size++;
      }
    } else if (Array.isArray(source)) {
      const filter = this.filter;
      if (filter === null) {
        size = source.length;
      } else {
        size = 0;
        for (let i = 0; i < source.length; i++) if (filter.matches(session, source[i])) size++;
      }
    } else {
      size = this.undefinedValue;
    }
    this.to.setInt(session, size);
  }
}

export function registerCollectionSteps(registry: EngineRegistry): void {
  registry.registerAction<AddItemConfig>('addItem', (config, cx) => new AddItemAction(itemSource(cx, config.item), cx.readVar(config.toVar), workerDataOf(cx), cx.at));
  registry.registerAction<GetItemConfig>('getItem', (config, cx) => new GetItemAction(cx.readVar(config.fromVar), cx.intValue(config.index), cx.writeVar(config.toVar, 'any')));
  registry.registerAction<SetItemConfig>('setItem', (config, cx) => new SetItemAction(cx.readVar(config.toVar), cx.intValue(config.index), itemSource(cx, config.item)));
  registry.registerAction<RemoveItemConfig>('removeItem', (config, cx) => new RemoveItemAction(cx.readVar(config.fromVar), cx.intValue(config.index)));
  registry.registerAction<GetIndexConfig>('getIndex', (config, cx) => new GetIndexAction(cx.readVar(config.collection), itemSource(cx, config.item), cx.writeVar(config.toVar, 'int')));
  registry.registerAction<GetSizeConfig>('getSize', (config, cx) => new GetSizeAction(
    cx.readVar(config.fromVar), cx.writeVar(config.toVar, 'int'), config.undefinedValue ?? -1, config.filter ? itemTest(cx, config.filter) : null,
  ));
}
