/**
 * `queue` processor: every item (joined from its parts) is queued, and up to `concurrency` instances of `sequence`
 * run at once, each reading its item as `var[.]`. When an instance ends, the next queued item is given to it (the
 * instance restarts with the new item); when the response is over and every queued item has been consumed,
 * `onCompletion` runs.
 *
 * Hyperfoil runs the items in a private copy of the sequence with the queue's concurrency. Sequences are fixed when
 * our scenario is compiled, so the queue uses the sequence itself: a last step that reports the item consumed is
 * appended to it when the sessions are created, and instances not started by the queue pass it unchanged. The
 * sequence must be declared with room for the instances (`name[N]`, N ≥ concurrency); a smaller N caps the
 * concurrency (with a build warning).
 */
import type { QueueConfig } from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import type { EngineRegistry } from '../registry.js';
import type { SequenceTemplate } from '../sequence.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Action, Step } from '../step.js';
import { ObjectArrayVar } from '../vars.js';
import type { WriteAccess } from '../vars.js';
import { ActionChain } from './chains.js';
import type { ByteAccumulator } from './data-format.js';
import { convertBytes } from './data-format.js';
import { DefragProcessor, reserveAccumulator } from './defrag.js';

class QueueState {
  /** Queued items not given to an instance yet: `pending[head..]`. */
  readonly pending: unknown[] = [];
  head = 0;
  /** Instances running an item of this queue, by instance index. */
  readonly owned: Uint8Array;
  running = 0;
  producerDone = true;
  readonly items: ObjectArrayVar;

  constructor(slots: number) {
    this.owned = new Uint8Array(slots);
    this.items = new ObjectArrayVar(slots);
  }

  get pendingCount(): number {
    return this.pending.length - this.head;
  }

  takePending(): unknown {
    const value = this.pending[this.head];
    this.pending[this.head++] = undefined;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    }
    return value;
  }

  reset(): void {
    this.pending.length = 0;
    this.head = 0;
    this.owned.fill(0);
    this.running = 0;
    this.producerDone = true;
    this.items.reset();
  }
}

class QueueProcessor extends DefragProcessor {
  constructor(
    accumulator: StateKey<ByteAccumulator>,
    private readonly key: StateKey<QueueState>,
    private readonly itemsVar: WriteAccess,
    private readonly template: SequenceTemplate,
    private readonly concurrency: number,
    private readonly maxSize: number,
    private readonly config: QueueConfig,
    private readonly onCompletion: Action | null,
  ) {
    super(accumulator);
  }

  override before(session: Session): void {
    const state = session.state(this.key);
    state.pending.length = 0;
    state.head = 0;
    state.producerDone = false;
    this.itemsVar.setObject(session, state.items);
  }

  protected item(session: Session, data: Buffer, offset: number, length: number): void {
    const state = session.state(this.key);
    const value = convertBytes(this.config.format, data, offset, length);
    if (state.running < this.concurrency) {
      this.start(session, state, value);
    } else if (state.pendingCount < this.maxSize) {
      state.pending.push(value);
    } else {
      throw new SessionFailure(`queue ${this.config.var}: more than ${this.maxSize} items are waiting; raise its maxSize`);
    }
  }

  override after(session: Session): void {
    super.after(session);
    const state = session.state(this.key);
    state.producerDone = true;
    if (state.running === 0 && state.pendingCount === 0) this.onCompletion?.run(session);
  }

  private start(session: Session, state: QueueState, value: unknown): void {
    if (this.itemsVar.isSet(session) === false || this.itemsVar.getObject(session) !== state.items) this.itemsVar.setObject(session, state.items);
    const instance = session.startSequence(this.template, false, 'FAIL');
    if (instance === null) return;
    const index = instance.index;
    state.items.values[index] = value;
    state.items.set[index] = 1;
    state.owned[index] = 1;
    state.running++;
  }

  /** Run by the step appended to the sequence, as its last step. */
  consumed(session: Session): void {
    const current = session.currentSequence;
    if (current === null) return;
    const state = session.state(this.key);
    const index = current.index;
    if (state.owned[index] !== 1) return;
    if (state.pendingCount > 0) {
      state.items.values[index] = state.takePending();
      state.items.set[index] = 1;
      current.restart();
      return;
    }
    state.owned[index] = 0;
    state.items.set[index] = 0;
    state.items.values[index] = undefined;
    state.running--;
    if (state.running === 0 && state.producerDone) this.onCompletion?.run(session);
  }
}

class QueueConsumedStep implements Step {
  constructor(private readonly queue: QueueProcessor) {}

  invoke(session: Session): boolean {
    this.queue.consumed(session);
    return true;
  }
}

function compileQueue(config: QueueConfig, cx: CompileContext): QueueProcessor {
  const template = cx.sequenceTemplate(config.sequence);
  const concurrency = Math.min(config.concurrency, template.slots);
  if (concurrency < config.concurrency) {
    cx.warn(`queue: sequence \`${template.name}\` allows ${template.slots} concurrent instance(s), so the queue runs ${concurrency} at a time instead of ${config.concurrency}; declare it as \`${template.name}[${config.concurrency}]\``);
  }
  const stepId = cx.stepId;
  const at = cx.at;
  let appended = false;
  let queue: QueueProcessor | null = null;
  const slots = template.slots;
  const key = cx.reserveState<QueueState>({
    create: () => {
      // The scenario is compiled by now (sessions are created after it): append the consuming step once.
      if (!appended && queue !== null) {
        appended = true;
        template.steps.push(new QueueConsumedStep(queue));
        template.stepIds.push(stepId);
        template.stepAt.push(at);
      }
      return new QueueState(slots);
    },
    reset: (state) => state.reset(),
  });
  const onCompletion = config.onCompletion.length === 0 ? null : new ActionChain(cx.actions(config.onCompletion));
  queue = new QueueProcessor(reserveAccumulator(cx), key, cx.writeVar(config.var, 'object'), template, concurrency, config.maxSize, config, onCompletion);
  return queue;
}

export function registerQueue(registry: EngineRegistry): void {
  registry.registerProcessor<QueueConfig>('queue', compileQueue);
}
