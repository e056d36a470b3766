/**
 * Small HTTP components:
 *   awaitAllResponses   (step)       blocked until no request of the session is in flight
 *   markRequestInvalid  (action)     marks the request being handled invalid
 *   clearHttpCache      (action)     drops every record of the session's HTTP cache
 *   closeConnection     (processor)  the connection is closed after this response instead of being reused
 *   logInvalid          (processor)  logs the body of a request marked invalid (first 16 KiB)
 */
import type { Action, CompileContext, Processor, Session, StateKey, Step } from '../../engine/index.js';
import { SessionFailure } from '../../engine/index.js';
import { currentRequest } from './current-request.js';
import { httpLog } from './log.js';
import { httpSessionKey } from './session-http.js';

export const AWAIT_ALL_RESPONSES: Step = {
  invoke(session: Session): boolean {
    // Slots are freed when responses complete (asynchronous requests) or when a synchronous request's await
    // step takes its response; freeing wakes the session.
    return session.requests.inFlight === 0;
  },
};

export const MARK_REQUEST_INVALID: Action = {
  run(): void {
    const request = currentRequest();
    if (request === null) {
      throw new SessionFailure('markRequestInvalid ran outside of a response handler: use it in an httpRequest `handler`');
    }
    request.markInvalid();
  },
};

export function clearHttpCacheAction(cx: CompileContext): Action {
  const key = httpSessionKey(cx);
  return {
    run(session: Session): void {
      session.state(key).cache.clear();
    },
  };
}

export const CLOSE_CONNECTION: Processor = {
  before(): void {
    currentRequest()?.closeConnectionAfterResponse();
  },
  process(): void {},
  after(): void {},
};

const LOG_LIMIT_BYTES = 16 * 1024;

class LogInvalidState {
  readonly buffer = Buffer.alloc(LOG_LIMIT_BYTES);
  length = 0;
  truncated = false;
}

class LogInvalidBody implements Processor {
  constructor(private readonly key: StateKey<LogInvalidState>) {}

  before(session: Session): void {
    const state = session.state(this.key);
    state.length = 0;
    state.truncated = false;
  }

  process(session: Session, data: Buffer, offset: number, length: number): void {
    const state = session.state(this.key);
    const room = LOG_LIMIT_BYTES - state.length;
    const copied = Math.min(room, length);
    if (copied > 0) data.copy(state.buffer, state.length, offset, offset + copied);
    state.length += copied;
    if (copied < length) state.truncated = true;
  }

  after(session: Session): void {
    const request = currentRequest();
    if (request === null || request.isValid) return;
    const state = session.state(this.key);
    httpLog(`#${session.sessionId} invalid response to ${request.describe()}, body${state.truncated ? ` (first ${LOG_LIMIT_BYTES} bytes)` : ''}:\n${state.buffer.toString('utf8', 0, state.length)}`);
  }
}

export function logInvalidProcessor(cx: CompileContext): Processor {
  return new LogInvalidBody(cx.reserveState<LogInvalidState>({ create: () => new LogInvalidState(), perSequenceInstance: true }));
}
