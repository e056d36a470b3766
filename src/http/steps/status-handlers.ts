/**
 * `handler.status`: what happens with a response's status, compiled once per request step.
 *   range        marks the request invalid when the status is outside [min, max] (autoRangeCheck adds 200-399)
 *   action       runs the actions of the first case whose ranges hold the status, else `other`
 *   multiplex    the same with nested status handlers
 *   counter      adds to (or sets) an int variable for matching statuses
 *   store        stores the status in an int variable
 *   stats        counts each status in the custom statistics `exact_status` (`status_200` …)
 */
import type { StatusRange } from '../../config/steps/index.js';
import type { StatusCases, StatusHandlerSpec } from '../../config/steps/index.js';
import type { Action, CompileContext, WriteAccess } from '../../engine/index.js';
import type { ResponseState } from './response-state.js';

export interface StatusHandler {
  handleStatus(response: ResponseState, status: number): void;
}

class RangeValidator implements StatusHandler {
  constructor(readonly min: number, readonly max: number) {}

  handleStatus(response: ResponseState, status: number): void {
    if (status < this.min || status > this.max) response.markInvalid();
  }
}

/** What `autoRangeCheck` adds: anything but 2xx and 3xx is invalid. */
export const AUTO_RANGE_CHECK: StatusHandler = new RangeValidator(200, 399);

interface Case<T> {
  readonly mins: Int32Array;
  readonly maxs: Int32Array;
  readonly then: T;
}

function compileCases<S, T>(cases: StatusCases<S>, compile: (spec: S) => T): { cases: Array<Case<T>>; other: T | null } {
  return {
    cases: cases.cases.map((c) => ({
      mins: Int32Array.from(c.ranges.map((r: StatusRange) => r.min)),
      maxs: Int32Array.from(c.ranges.map((r: StatusRange) => r.max)),
      then: compile(c.then),
    })),
    other: cases.other === undefined ? null : compile(cases.other),
  };
}

function pick<T>(cases: ReadonlyArray<Case<T>>, other: T | null, status: number): T | null {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    for (let j = 0; j < c.mins.length; j++) if (status >= c.mins[j]! && status <= c.maxs[j]!) return c.then;
  }
  return other;
}

class ActionByStatus implements StatusHandler {
  constructor(private readonly cases: ReadonlyArray<Case<readonly Action[]>>, private readonly other: readonly Action[] | null) {}

  handleStatus(response: ResponseState, status: number): void {
    const actions = pick(this.cases, this.other, status);
    if (actions === null) return;
    for (let i = 0; i < actions.length; i++) actions[i]!.run(response.session);
  }
}

class Multiplex implements StatusHandler {
  constructor(private readonly cases: ReadonlyArray<Case<readonly StatusHandler[]>>, private readonly other: readonly StatusHandler[] | null) {}

  handleStatus(response: ResponseState, status: number): void {
    const handlers = pick(this.cases, this.other, status);
    if (handlers === null) return;
    for (let i = 0; i < handlers.length; i++) handlers[i]!.handleStatus(response, status);
  }
}

class StatusCounter implements StatusHandler {
  constructor(
    private readonly access: WriteAccess,
    private readonly expectStatus: number,
    private readonly init: number,
    private readonly add: boolean,
    private readonly value: number,
  ) {}

  handleStatus(response: ResponseState, status: number): void {
    if (this.expectStatus >= 0 && status !== this.expectStatus) return;
    const session = response.session;
    if (!this.add) {
      this.access.setInt(session, this.value);
    } else if (this.access.isSet(session)) {
      this.access.setInt(session, this.access.getInt(session) + this.value);
    } else {
      this.access.setInt(session, this.init + this.value);
    }
  }
}

class StoreStatus implements StatusHandler {
  constructor(private readonly access: WriteAccess) {}

  handleStatus(response: ResponseState, status: number): void {
    this.access.setInt(response.session, status);
  }
}

const STATUS_NAMES: string[] = [];
for (let status = 0; status < 1000; status++) STATUS_NAMES.push(`status_${status}`);

class StatusToStats implements StatusHandler {
  handleStatus(response: ResponseState, status: number): void {
    response.addCustom('exact_status', 'counters', STATUS_NAMES[status] ?? `status_${status}`, 1);
  }
}

export function compileStatusHandlers(specs: readonly StatusHandlerSpec[], cx: CompileContext): StatusHandler[] {
  return specs.map((spec) => compileStatusHandler(spec, cx));
}

function compileStatusHandler(spec: StatusHandlerSpec, cx: CompileContext): StatusHandler {
  switch (spec.name) {
    case 'range': return new RangeValidator(spec.config.min, spec.config.max);
    case 'action': {
      const { cases, other } = compileCases(spec.config, (actions) => cx.actions(actions));
      return new ActionByStatus(cases, other);
    }
    case 'multiplex': {
      const { cases, other } = compileCases(spec.config, (handlers) => compileStatusHandlers(handlers, cx));
      return new Multiplex(cases, other);
    }
    case 'counter': {
      const c = spec.config;
      return new StatusCounter(cx.writeVar(c.var, 'int'), c.expectStatus ?? -1, c.init, c.update.kind === 'add', c.update.value);
    }
    case 'store': return new StoreStatus(cx.writeVar(spec.config.toVar, 'int'));
    case 'stats': return new StatusToStats();
    default: {
      const never: never = spec;
      return cx.error(`unknown status handler ${JSON.stringify((never as { name: string }).name)}`);
    }
  }
}
