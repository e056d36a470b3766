/**
 * Processors of data (response bodies, header values, JSON parts): `store` (legacy `simple`), `storeInt`, `array`,
 * `collection`, `count`, `conditional`. Each receives items in parts, `isLastPart` closing an item; `before` and
 * `after` bracket one response (or one json step).
 *
 * Hyperfoil's rules kept here: `store` unsets its variable in `before` and keeps the first item of the response;
 * `storeInt` keeps an existing value unless `override`; `array` hands out a fresh (all unset) array in `before`
 * and drops items once it is full; `collection` starts a new list in `before`; `count` counts items.
 */
import type {
  ArrayConfig, CollectionConfig, ConditionalProcessorConfig, CountConfig, DataFormat, StoreConfig, StoreIntConfig,
} from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Processor } from '../step.js';
import { ObjectArrayVar } from '../vars.js';
import type { WriteAccess } from '../vars.js';
import { asSpecList, chainOf } from './chains.js';
import { compileCondition } from './conditions.js';
import type { Predicate } from './conditions.js';
import type { ByteAccumulator } from './data-format.js';
import { convertBytes } from './data-format.js';
import { DefragProcessor, reserveAccumulator } from './defrag.js';
import { parseJavaInt } from './variables.js';
import { workerDataOf } from './worker-data.js';
import type { WorkerData } from './worker-data.js';

export class StoreProcessor extends DefragProcessor {
  constructor(accumulator: StateKey<ByteAccumulator>, private readonly to: WriteAccess, private readonly format: DataFormat) {
    super(accumulator);
  }

  override before(session: Session): void {
    this.to.unset(session);
  }

  protected item(session: Session, data: Buffer, offset: number, length: number): void {
    if (this.to.isSet(session)) return;
    this.to.setObject(session, convertBytes(this.format, data, offset, length));
  }
}

export function compileStore(config: StoreConfig, cx: CompileContext): StoreProcessor {
  return new StoreProcessor(reserveAccumulator(cx), cx.writeVar(config.toVar, 'object'), config.format);
}

class StoreIntProcessor extends DefragProcessor {
  constructor(
    accumulator: StateKey<ByteAccumulator>,
    private readonly to: WriteAccess,
    private readonly override: boolean,
    private readonly data: WorkerData,
    private readonly at: string,
  ) {
    super(accumulator);
  }

  protected item(session: Session, data: Buffer, offset: number, length: number): void {
    if (!this.override && this.to.isSet(session)) return;
    const text = data.toString('latin1', offset, offset + length);
    const value = parseJavaInt(text);
    if (Number.isNaN(value)) {
      this.data.warnOnce(`${this.at}:parse`, `${this.at}: storeInt: \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\` is not an integer; ${this.to.name} is not set`);
      return;
    }
    this.to.setInt(session, value);
  }
}

/** Collects items into an array variable of `maxSize` slots, allocated once per session. */
export class ArrayProcessor extends DefragProcessor {
  constructor(
    accumulator: StateKey<ByteAccumulator>,
    private readonly to: WriteAccess,
    private readonly array: StateKey<ObjectArrayVar>,
    private readonly format: DataFormat,
    private readonly silent: boolean,
    private readonly data: WorkerData,
    private readonly at: string,
  ) {
    super(accumulator);
  }

  override before(session: Session): void {
    const array = session.state(this.array);
    array.reset();
    this.to.setObject(session, array);
  }

  protected item(session: Session, data: Buffer, offset: number, length: number): void {
    const array = session.state(this.array);
    if (!this.to.isSet(session) || this.to.getObject(session) !== array) this.to.setObject(session, array);
    for (let i = 0; i < array.length; i++) {
      if (array.set[i] === 1) continue;
      array.values[i] = convertBytes(this.format, data, offset, length);
      array.set[i] = 1;
      return;
    }
    if (!this.silent) {
      this.data.warnOnce(`${this.at}:full`, `${this.at}: the array ${this.to.name} is full (${array.length} items); further items are dropped`);
    }
  }
}

export function compileArray(cx: CompileContext, name: string, maxSize: number, format: DataFormat, silent: boolean): ArrayProcessor {
  const array = cx.reserveState({ create: () => new ObjectArrayVar(maxSize) });
  return new ArrayProcessor(reserveAccumulator(cx), cx.writeVar(name, 'object'), array, format, silent, workerDataOf(cx), cx.at);
}

/** An unbounded list (a JS array), new for every response: it allocates, use it sparingly (as Hyperfoil warns). */
class CollectionProcessor extends DefragProcessor {
  constructor(accumulator: StateKey<ByteAccumulator>, private readonly to: WriteAccess, private readonly format: DataFormat) {
    super(accumulator);
  }

  override before(session: Session): void {
    this.to.setObject(session, []);
  }

  protected item(session: Session, data: Buffer, offset: number, length: number): void {
    let list = this.to.isSet(session) ? this.to.getObject(session) : undefined;
    if (!Array.isArray(list)) {
      list = [];
      this.to.setObject(session, list);
    }
    (list as unknown[]).push(convertBytes(this.format, data, offset, length));
  }
}

class CountProcessor implements Processor {
  constructor(private readonly to: WriteAccess) {}

  before(session: Session): void {
    this.to.setInt(session, 0);
  }

  process(session: Session, _data: Buffer, _offset: number, _length: number, isLastPart: boolean): void {
    if (!isLastPart) return;
    const to = this.to;
    to.setInt(session, to.isSet(session) ? to.getInt(session) + 1 : 1);
  }

  after(): void {}
}

/** Passes data on while the condition holds (it is tested at every call, as Hyperfoil does). */
class ConditionalProcessor implements Processor {
  constructor(private readonly condition: Predicate, private readonly processor: Processor) {}

  before(session: Session): void {
    if (this.condition.test(session)) this.processor.before(session);
  }

  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void {
    if (this.condition.test(session)) this.processor.process(session, data, offset, length, isLastPart);
  }

  after(session: Session): void {
    if (this.condition.test(session)) this.processor.after(session);
  }
}

export function registerProcessors(registry: EngineRegistry): void {
  registry.registerProcessor<StoreConfig>('store', compileStore);
  registry.registerProcessor<StoreConfig>('simple', compileStore);
  registry.registerProcessor<StoreIntConfig>('storeInt', (config, cx) => new StoreIntProcessor(
    reserveAccumulator(cx), cx.writeVar(config.toVar, 'int'), config.override, workerDataOf(cx), cx.at,
  ));
  registry.registerProcessor<ArrayConfig>('array', (config, cx) => compileArray(cx, config.toVar, config.maxSize, config.format, config.silent));
  registry.registerProcessor<CollectionConfig>('collection', (config, cx) => new CollectionProcessor(reserveAccumulator(cx), cx.writeVar(config.toVar, 'object'), config.format));
  registry.registerProcessor<CountConfig>('count', (config, cx) => new CountProcessor(cx.writeVar(config.toVar, 'int')));
  registry.registerProcessor<ConditionalProcessorConfig>('conditional', (config, cx) => new ConditionalProcessor(
    compileCondition(cx, config.condition), chainOf(cx.processors(asSpecList(config.processors))),
  ));
}
