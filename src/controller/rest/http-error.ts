/**
 * How failures become HTTP answers. A handler throws `HttpError` for a status of its choosing; control-plane errors
 * (`HyperfoilError`) map by their code; anything else is a 500 whose message is logged.
 */
import { HyperfoilError } from '../../lib/index.js';

export class HttpError extends HyperfoilError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(`HTTP_${status}`, message);
    this.status = status;
    this.headers = headers;
  }
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_BENCHMARK: 400,
  INVALID_NAME: 400,
  MALFORMED_MULTIPART: 400,
  VERSION_CONFLICT: 409,
  RUN_IN_PROGRESS: 403,
  AGENTS_BUSY: 403,
  NOT_FOUND: 404,
  OUTSIDE_ROOT: 403,
  HOOKS_REFUSED: 400,
  /** The controller's disk refused the write (full, read-only). */
  STORAGE_FAILED: 507,
};

/** The status for an error thrown by a handler; `undefined` means it was unexpected (500, and logged). */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpError) return error.status;
  if (error instanceof HyperfoilError) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) return status;
    // The agents named by the benchmark cannot be used as asked (unknown, unreachable, misconfigured).
    if (error.code.startsWith('AGENTS_')) return 400;
  }
  return undefined;
}
