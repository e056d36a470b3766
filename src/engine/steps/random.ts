/**
 * Random generators: `randomInt`, `randomItem`, `randomCsvRow`, `randomFile`, `randomUUID`. Every draw comes from
 * the worker's generator (`WorkerData.random`), so a seeded worker is reproducible.
 *
 * Weighted choices keep the cumulative weights and pick by binary search: item i is chosen with probability
 * weight[i] / sum(weights).
 */
import type {
  RandomCsvRowConfig, RandomFileConfig, RandomIntConfig, RandomItemConfig, RandomUuidConfig, WeightedItems,
} from '../../config/steps/index.js';
import type { CompileContext, IntValue } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import type { EngineRegistry } from '../registry.js';
import type { Random } from '../rng.js';
import type { Session } from '../session.js';
import type { Action } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import { workerDataOf } from './worker-data.js';

/** A uniformly distributed int in [min, max]. */
export function randomIntIn(random: Random, min: number, max: number): number {
  return min + Math.floor(random.nextDouble() * (max - min + 1));
}

/** Chooses an index: uniformly, or by cumulative weights (ascending, the last is the total). */
export class IndexChooser {
  private readonly cumulative: Float64Array | null;

  constructor(readonly count: number, weights: readonly number[] | undefined) {
    if (weights === undefined) {
      this.cumulative = null;
      return;
    }
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i]!;
      this.cumulative[i] = sum;
    }
  }

  choose(random: Random): number {
    const cumulative = this.cumulative;
    if (cumulative === null) return Math.floor(random.nextDouble() * this.count);
    const target = random.nextDouble() * cumulative[cumulative.length - 1]!;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

// ---------------------------------------------------------------------------------------------------------------

class RandomIntAction implements Action {
  constructor(private readonly to: WriteAccess, private readonly min: IntValue, private readonly max: IntValue, private readonly random: Random) {}

  run(session: Session): void {
    const min = this.min.get(session);
    const max = this.max.get(session);
    if (min > max) throw new SessionFailure(`randomInt: min (${min}) is greater than max (${max})`);
    this.to.setInt(session, randomIntIn(this.random, min, max));
  }
}

class RandomListItemAction implements Action {
  constructor(
    private readonly to: WriteAccess,
    private readonly items: readonly string[],
    private readonly chooser: IndexChooser,
    private readonly random: Random,
  ) {}

  run(session: Session): void {
    this.to.setObject(session, this.items[this.chooser.choose(this.random)]);
  }
}

/** From an array: one of its leading set elements; from a list (`collection`): any element. */
class RandomVarItemAction implements Action {
  constructor(private readonly to: WriteAccess, private readonly from: ReadAccess, private readonly random: Random) {}

  run(session: Session): void {
    const source = this.from.getObject(session);
    if (source instanceof ObjectArrayVar || source instanceof IntArrayVar) {
      let count = 0;
      while (count < source.length && source.set[count] === 1) count++;
      if (count === 0) throw new SessionFailure(`randomItem: the array in ${this.from.name} has no element set`);
      const index = Math.floor(this.random.nextDouble() * count);
      if (source instanceof IntArrayVar) this.to.setInt(session, source.values[index]!);
      else this.to.setObject(session, source.values[index]);
      return;
    }
    if (Array.isArray(source)) {
      if (source.length === 0) throw new SessionFailure(`randomItem: the list in ${this.from.name} is empty`);
      const item: unknown = source[Math.floor(this.random.nextDouble() * source.length)];
      if (typeof item === 'number') this.to.setInt(session, item);
      else this.to.setObject(session, item);
      return;
    }
    throw new SessionFailure(`randomItem: variable ${this.from.name} holds no array or list to choose from`);
  }
}

function compileRandomItem(config: RandomItemConfig, cx: CompileContext): Action {
  const random = workerDataOf(cx).random;
  const source = config.source;
  if (source.kind === 'fromVar') return new RandomVarItemAction(cx.writeVar(config.toVar, 'any'), cx.readVar(source.fromVar), random);
  if (source.items.length === 0) cx.error('randomItem has no item to choose from');
  return new RandomListItemAction(cx.writeVar(config.toVar, 'object'), source.items, chooserOf(source), random);
}

function chooserOf(items: WeightedItems): IndexChooser {
  return new IndexChooser(items.items.length, items.weights);
}

// ---------------------------------------------------------------------------------------------------------------

class RandomCsvRowAction implements Action {
  constructor(
    private readonly columns: readonly WriteAccess[],
    private readonly rows: ReadonlyArray<ReadonlyArray<string | null>>,
    private readonly random: Random,
  ) {}

  run(session: Session): void {
    const row = this.rows[Math.floor(this.random.nextDouble() * this.rows.length)]!;
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      const value = row[c];
      if (value === null || value === undefined) columns[c]!.unset(session);
      else columns[c]!.setObject(session, value);
    }
  }
}

function compileRandomCsvRow(config: RandomCsvRowConfig, cx: CompileContext): Action {
  if (config.rows.length === 0) cx.error(`randomCsvRow: \`${config.file}\` has no rows`);
  return new RandomCsvRowAction(config.columns.map((c) => cx.writeVar(c.toVar, 'object')), config.rows, workerDataOf(cx).random);
}

// ---------------------------------------------------------------------------------------------------------------

class RandomFileAction implements Action {
  constructor(
    private readonly to: WriteAccess,
    private readonly nameTo: WriteAccess | null,
    private readonly names: readonly string[],
    private readonly contents: readonly Buffer[],
    private readonly chooser: IndexChooser,
    private readonly random: Random,
  ) {}

  run(session: Session): void {
    const index = this.chooser.choose(this.random);
    this.to.setObject(session, this.contents[index]);
    this.nameTo?.setObject(session, this.names[index]);
  }
}

function compileRandomFile(config: RandomFileConfig, cx: CompileContext): Action {
  const names = config.files.items;
  return new RandomFileAction(
    cx.writeVar(config.toVar, 'object'),
    config.filenameVar ? cx.writeVar(config.filenameVar, 'object') : null,
    names,
    names.map((name) => cx.file(name)),
    chooserOf(config.files),
    workerDataOf(cx).random,
  );
}

// ---------------------------------------------------------------------------------------------------------------

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexWord(word: number): string {
  return HEX[(word >>> 24) & 0xff]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!;
}

/** A version 4 (random) UUID in its usual text form. */
export function randomUuid(random: Random): string {
  const a = random.nextUint32();
  const b = (random.nextUint32() & 0xffff0fff) | 0x00004000; // version 4
  const c = (random.nextUint32() & 0x3fffffff) | 0x80000000; // variant 10
  const d = random.nextUint32();
  const bh = hexWord(b);
  const ch = hexWord(c);
  return `${hexWord(a)}-${bh.slice(0, 4)}-${bh.slice(4)}-${ch.slice(0, 4)}-${ch.slice(4)}${hexWord(d)}`;
}

class RandomUuidAction implements Action {
  constructor(private readonly to: WriteAccess, private readonly random: Random) {}

  run(session: Session): void {
    this.to.setObject(session, randomUuid(this.random));
  }
}

export function registerRandomSteps(registry: EngineRegistry): void {
  registry.registerAction<RandomIntConfig>('randomInt', (config, cx) => new RandomIntAction(
    cx.writeVar(config.toVar, 'int'), cx.intValue(config.min), cx.intValue(config.max), workerDataOf(cx).random,
  ));
  registry.registerAction<RandomItemConfig>('randomItem', compileRandomItem);
  registry.registerAction<RandomCsvRowConfig>('randomCsvRow', compileRandomCsvRow);
  registry.registerAction<RandomFileConfig>('randomFile', compileRandomFile);
  registry.registerAction<RandomUuidConfig>('randomUUID', (config, cx) => new RandomUuidAction(cx.writeVar(config.toVar, 'object'), workerDataOf(cx).random));
}
