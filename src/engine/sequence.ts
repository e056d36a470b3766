/**
 * Sequences: a compiled `SequenceTemplate` (its steps, shared by every session of a pool) and the per-session
 * `SequenceInstance` that walks it. `name[N]` templates allow N concurrent instances with indices 0..N-1 (what
 * `var[.]` and per-instance state select); plain templates allow one instance, with index 0.
 */
import type { StateSpec } from './state.js';
import type { Step } from './step.js';

/** What happens when a sequence is started while all of its instances are running. */
export type ConcurrencyPolicy = 'FAIL' | 'WARN';

export interface InstanceState {
  readonly base: number;
  readonly copies: number;
  readonly spec: StateSpec<unknown>;
}

export class SequenceTemplate {
  /** Filled by the compiler after every template exists (steps may reference any sequence). */
  steps: Step[] = [];
  /** The statistics id of the spec each step came from (parallel to `steps`). */
  stepIds: number[] = [];
  /** Where each step was written (parallel to `steps`), for messages. */
  stepAt: string[] = [];
  /** Per-instance state to reset when an instance starts. */
  readonly instanceStates: InstanceState[] = [];

  constructor(
    readonly id: number,
    readonly name: string,
    /** 0 for a plain sequence; N for `name[N]`. */
    readonly concurrency: number,
    /** First entry of this template in the session's used-index table (`max(1, concurrency)` entries). */
    readonly indexOffset: number,
  ) {}

  /** Instances that may run at once. */
  get slots(): number {
    return Math.max(1, this.concurrency);
  }
}

const NO_STEPS: Step[] = [];
const NO_TEMPLATE = new SequenceTemplate(-1, '', 0, 0);
NO_TEMPLATE.steps = NO_STEPS;

export class SequenceInstance {
  template: SequenceTemplate = NO_TEMPLATE;
  /** Instance index (0..concurrency-1; 0 for plain sequences). */
  index = 0;
  /** The step to invoke next. */
  stepIndex = 0;
  /** Set when a step moved `stepIndex` itself (restart, break), so the run loop does not advance it. */
  jumped = false;

  init(template: SequenceTemplate, index: number): void {
    this.template = template;
    this.index = index;
    this.stepIndex = 0;
    this.jumped = false;
  }

  clear(): void {
    this.template = NO_TEMPLATE;
  }

  get name(): string {
    return this.template.name;
  }

  get isCompleted(): boolean {
    return this.stepIndex >= this.template.steps.length;
  }

  /** Continue from the first step (Hyperfoil's `restartSequence`). */
  restart(): void {
    this.stepIndex = 0;
    this.jumped = true;
  }

  /** End this instance after the current step (Hyperfoil's `breakSequence`). */
  finish(): void {
    this.stepIndex = this.template.steps.length;
    this.jumped = true;
  }
}
