/**
 * Engine errors. Compiling a scenario is control plane: a bad step throws `EngineCompileError` with the step's
 * position. Running a session is hot path: failures are counted and reported, never thrown out of the engine;
 * `SessionFailure` is only thrown inside a step and caught by the session's run loop.
 */
import { HyperfoilError } from '../lib/index.js';

/** A scenario cannot be compiled (unknown step, unknown sequence, read-only variable written…). */
export class EngineCompileError extends HyperfoilError {
  /** `file:line:column` of the offending step, or '' when unknown. */
  readonly at: string;

  constructor(message: string, at = '') {
    super('ENGINE_COMPILE', at === '' ? message : `${at}: ${message}`);
    this.at = at;
  }
}

/** A command that cannot be obeyed (unknown phase, command out of order). */
export class EngineCommandError extends HyperfoilError {
  constructor(message: string) {
    super('ENGINE_COMMAND', message);
  }
}

/**
 * Thrown by a step (or a variable read) to end the current session with an internal error. The run loop catches
 * it, counts it as an internal error and releases the session; it never leaves the engine.
 */
export class SessionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFailure';
  }
}
