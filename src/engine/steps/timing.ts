/**
 * Waiting: `thinkTime` (= a private `scheduleDelay` followed by `awaitDelay`), `scheduleDelay`, `awaitDelay`,
 * `awaitVar` (`!var`: until unset) and `awaitInt`.
 *
 * A delay point is a monotonic time in ns. `scheduleDelay` stores it (in the `key` variable, as an int) and asks
 * for a wake-up at that time; `awaitDelay` only compares the clock with it, so a blocked await costs nothing.
 * FROM_LAST measures from the previous delay point of the same key (or from now when there is none), which keeps a
 * fixed cadence in loops.
 */
import type {
  AwaitDelayConfig, AwaitIntConfig, AwaitVarConfig, DelaySpec, ScheduleDelayConfig, ThinkTimeConfig,
} from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import type { EngineRegistry } from '../registry.js';
import type { Random } from '../rng.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Step } from '../step.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import type { IntTest } from './conditions.js';
import { compileIntTest, intOf } from './conditions.js';
import { workerDataOf } from './worker-data.js';

const NS_PER_MS = 1_000_000;
const RANDOM_CONSTANT = 0;
const RANDOM_LINEAR = 1;
const RANDOM_NEG_EXP = 2;

/** The length of one delay, drawn per invocation for randomized delays. */
export class DelayDuration {
  private readonly kind: number;
  private readonly durationMs: number;
  private readonly minMs: number;
  private readonly maxMs: number;

  constructor(spec: DelaySpec, private readonly random: Random) {
    this.kind = spec.random === 'CONSTANT' ? RANDOM_CONSTANT : spec.random === 'LINEAR' ? RANDOM_LINEAR : RANDOM_NEG_EXP;
    this.durationMs = spec.durationMs;
    this.minMs = spec.minMs;
    this.maxMs = spec.maxMs ?? Number.POSITIVE_INFINITY;
  }

  /** Whole milliseconds (Hyperfoil's unit), as ns. */
  nextNs(): number {
    switch (this.kind) {
      case RANDOM_CONSTANT:
        return this.durationMs * NS_PER_MS;
      case RANDOM_LINEAR:
        return (this.minMs + Math.floor(this.random.nextDouble() * (this.maxMs - this.minMs + 1))) * NS_PER_MS;
      default: {
        const u = Math.max(this.random.nextDouble(), 1e-20);
        const ms = Math.trunc(this.durationMs * -Math.log(u));
        return Math.max(Math.min(ms, this.maxMs), this.minMs) * NS_PER_MS;
      }
    }
  }
}

/** Where a delay point is kept: a variable (`scheduleDelay.key`) or per-instance state (`thinkTime`). */
interface DelayPointReader {
  isSet(session: Session): boolean;
  get(session: Session): number;
}

interface DelayPoint extends DelayPointReader {
  set(session: Session, dueNs: number): void;
}

class VarDelayPointReader implements DelayPointReader {
  constructor(protected readonly access: ReadAccess) {}

  isSet(session: Session): boolean {
    return this.access.isSet(session);
  }

  get(session: Session): number {
    return intOf(this.access, session);
  }
}

class VarDelayPoint extends VarDelayPointReader implements DelayPoint {
  constructor(private readonly writer: WriteAccess) {
    super(writer);
  }

  set(session: Session, dueNs: number): void {
    this.writer.setInt(session, dueNs);
  }
}

interface DueState {
  dueNs: number;
}

class StateDelayPoint implements DelayPoint {
  constructor(private readonly key: StateKey<DueState>) {}

  isSet(session: Session): boolean {
    return session.state(this.key).dueNs >= 0;
  }

  get(session: Session): number {
    return session.state(this.key).dueNs;
  }

  set(session: Session, dueNs: number): void {
    session.state(this.key).dueNs = dueNs;
  }
}

class ScheduleDelayStep implements Step {
  constructor(private readonly point: DelayPoint, private readonly fromLast: boolean, private readonly duration: DelayDuration) {}

  invoke(session: Session): boolean {
    const nowNs = session.nowNs();
    const point = this.point;
    const baseNs = this.fromLast && point.isSet(session) ? point.get(session) : nowNs;
    const dueNs = baseNs + this.duration.nextNs();
    point.set(session, dueNs);
    if (dueNs > nowNs) session.wakeAt(dueNs);
    return true;
  }
}

/** Blocks until the delay point has passed; an unset point blocks (nothing scheduled it yet). */
class AwaitDelayStep implements Step {
  constructor(private readonly point: DelayPointReader) {}

  invoke(session: Session): boolean {
    const point = this.point;
    return point.isSet(session) && session.nowNs() >= point.get(session);
  }
}

function compileThinkTime(config: ThinkTimeConfig, cx: CompileContext): Step[] {
  const key = cx.reserveState<DueState>({ create: () => ({ dueNs: -1 }), reset: (s) => { s.dueNs = -1; }, perSequenceInstance: true });
  const point = new StateDelayPoint(key);
  const duration = new DelayDuration(config, workerDataOf(cx).random);
  return [new ScheduleDelayStep(point, config.type === 'FROM_LAST', duration), new AwaitDelayStep(point)];
}

function compileScheduleDelay(config: ScheduleDelayConfig, cx: CompileContext): Step {
  const point = new VarDelayPoint(cx.writeVar(config.key, 'int'));
  return new ScheduleDelayStep(point, config.type === 'FROM_LAST', new DelayDuration(config, workerDataOf(cx).random));
}

// ---------------------------------------------------------------------------------------------------------------

class AwaitVarStep implements Step {
  constructor(private readonly access: ReadAccess, private readonly untilUnset: boolean) {}

  invoke(session: Session): boolean {
    return this.access.isSet(session) !== this.untilUnset;
  }
}

class AwaitIntStep implements Step {
  constructor(private readonly access: ReadAccess, private readonly test: IntTest) {}

  invoke(session: Session): boolean {
    const access = this.access;
    return access.isSet(session) && this.test.test(session, intOf(access, session));
  }
}

export function registerTimingSteps(registry: EngineRegistry): void {
  registry.registerStep<ThinkTimeConfig>('thinkTime', compileThinkTime);
  registry.registerStep<ScheduleDelayConfig>('scheduleDelay', compileScheduleDelay);
  registry.registerStep<AwaitDelayConfig>('awaitDelay', (config, cx) => new AwaitDelayStep(new VarDelayPointReader(cx.readVar(config.key))));
  registry.registerStep<AwaitVarConfig>('awaitVar', (config, cx) => new AwaitVarStep(cx.readVar(config.var), config.unset));
  registry.registerStep<AwaitIntConfig>('awaitInt', (config, cx) => new AwaitIntStep(cx.readVar(config.var), compileIntTest(cx, config.comparisons)));
}
