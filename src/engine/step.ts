/**
 * The runtime interfaces steps, actions and processors implement (Hyperfoil's model).
 *
 * A `Step` is invoked by its session's run loop: it returns true when it is done (the sequence advances) or false
 * when it is blocked. A blocked step must have had NO side effect (no request sent, no variable set, any resource
 * it took given back); the session invokes it again after someone calls `session.proceed()`.
 *
 * An `Action` runs to completion and can be used wherever a step or a processor is expected.
 * A `Processor` consumes data in chunks (a response body, a header value): `before`, then `process` once per chunk
 * with `isLastPart` on the last one, then `after`.
 *
 * None of these may allocate per invocation where avoidable; per-session state comes from
 * `CompileContext.reserveState` and is reached with `session.state(key)`.
 */
import type { Session } from './session.js';

export interface Step {
  invoke(session: Session): boolean;
}

export interface Action {
  run(session: Session): void;
}

export interface Processor {
  before(session: Session): void;
  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void;
  after(session: Session): void;
}

/** An action used as a step: runs and advances. */
export class ActionStep implements Step {
  constructor(readonly action: Action) {}

  invoke(session: Session): boolean {
    this.action.run(session);
    return true;
  }
}

/** An action used as a processor: runs once per item, on its last part. */
export class ActionProcessor implements Processor {
  constructor(readonly action: Action) {}

  before(): void {}

  process(session: Session, _data: Buffer, _offset: number, _length: number, isLastPart: boolean): void {
    if (isLastPart) this.action.run(session);
  }

  after(): void {}
}
