/**
 * How a request that ended without a response is counted (Hyperfoil's counters): the request's own timeout is a
 * `requestTimeouts`; refused, reset or closed connections and TLS failures are `connectionErrors`; a response that
 * is not HTTP, or a handler bug, is an `internalErrors`.
 */
import type { FailureKind } from '../handler.js';

export const COUNT_CONNECTION_ERROR = 0;
export const COUNT_REQUEST_TIMEOUT = 1;
export const COUNT_INTERNAL_ERROR = 2;

export type FailureCounter = typeof COUNT_CONNECTION_ERROR | typeof COUNT_REQUEST_TIMEOUT | typeof COUNT_INTERNAL_ERROR;

export function counterOf(kind: FailureKind): FailureCounter {
  switch (kind) {
    case 'timeout': return COUNT_REQUEST_TIMEOUT;
    case 'parse':
    case 'handler': return COUNT_INTERNAL_ERROR;
    case 'connect':
    case 'tls':
    case 'reset':
    case 'closed': return COUNT_CONNECTION_ERROR;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
