/**
 * Per-session state reserved by steps at compile time: created once per pooled session, reset at every session
 * start, and for `perSequenceInstance` state one copy per index of the sequence (reset when an instance with that
 * index starts), so concurrent instances of `seq[N]` do not share it.
 */

export interface StateSpec<T> {
  create(): T;
  /** Called at session start (and at sequence-instance start for per-instance state). */
  reset?(state: T): void;
  /**
   * Called when the session ends (completed, stopped, failed or cancelled), before it can be reused: e.g. the
   * HTTP layer cancels requests still in flight (Hyperfoil closes their connections). Must not throw.
   */
  onSessionEnd?(state: T): void;
  /** One copy per instance index of the sequence being compiled, selected by the current instance. */
  readonly perSequenceInstance?: boolean;
}

/** Handle returned by `CompileContext.reserveState`; `session.state(key)` gives the value. */
export interface StateKey<T> {
  /** First slot in the session's state array. */
  readonly base: number;
  /** Number of copies (1, or the sequence's concurrency for per-instance state). */
  readonly copies: number;
  readonly perSequenceInstance: boolean;
  /** Type marker only; never set. */
  readonly __state?: T;
}
