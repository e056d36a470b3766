// Control-plane errors of the HTTP client (bad configuration). Hot-path failures are never thrown:
// they reach the request's handler as a `FailureKind`.

export type HttpConfigErrorCode =
  | 'HTTP_BAD_METHOD'
  | 'HTTP_BAD_PATH'
  | 'HTTP_BAD_HEADER_NAME'
  | 'HTTP_BAD_HEADER_VALUE'
  | 'HTTP_BAD_ADDRESS'
  | 'HTTP_BAD_POOL_SIZE'
  | 'HTTP_BAD_STRATEGY'
  | 'HTTP_TLS_STORE_UNSUPPORTED'
  | 'HTTP_TLS_FILE'
  | 'HTTP_TLS_INCOMPLETE';

/** A configuration the HTTP client cannot use; the message says what to change. */
export class HttpConfigError extends Error {
  readonly code: HttpConfigErrorCode;

  constructor(code: HttpConfigErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpConfigError';
    this.code = code;
  }
}
