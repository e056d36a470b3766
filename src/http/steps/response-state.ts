/**
 * What response handlers (status, header, raw bytes) see of the request being handled. Implemented by the
 * request context; kept narrow so handlers do not depend on it.
 */
import type { Session } from '../../engine/index.js';
import type { HandledRequest } from './current-request.js';
import type { StepRecorders } from './request-stats.js';

export interface ResponseState extends HandledRequest {
  readonly session: Session;
  /** Status of the response being handled (0 before it is known). */
  readonly status: number;
  /** Adds to a custom counter of this request's statistics (no-op when the request is not recorded). */
  addCustom(key: string, type: string, name: string, delta: number): void;
  /** Records a request and a response of `latencyNs` in another metric of this step (recordHeaderTime). */
  recordOtherMetric(recorders: StepRecorders, metric: string, latencyNs: number): void;
}
