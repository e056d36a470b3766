/**
 * The request whose response is being handled. HTTP callbacks run synchronously on the worker's thread, so the
 * request context sets this around every handler invocation; actions and processors that act on "the current
 * request" (`markRequestInvalid`, `closeConnection`, `logInvalid`) read it. Outside a handler it is null.
 */

export interface HandledRequest {
  /** False once marked invalid (status out of range, `markRequestInvalid`, a failed request). */
  readonly isValid: boolean;
  markInvalid(): void;
  /** Do not reuse the connection once this response completes. */
  closeConnectionAfterResponse(): void;
  /** `GET authority/path` plus the status when known, for logs. */
  describe(): string;
  /** The absolute URL requested (`http://host:port/path?query`), to resolve relative links against. */
  readonly url: string;
}

let current: HandledRequest | null = null;

export function currentRequest(): HandledRequest | null {
  return current;
}

/** Makes `request` current; returns the previous one, to be restored with `restoreRequest`. */
export function enterRequest(request: HandledRequest): HandledRequest | null {
  const previous = current;
  current = request;
  return previous;
}

export function restoreRequest(previous: HandledRequest | null): void {
  current = previous;
}
