/**
 * Per sequence instance state of one `httpRequest` step: whether its request is waiting for a connection, and
 * which request slot it used (the await step of a synchronous request consumes it).
 */

export const SEND_IDLE = 0;
/** Waiting for a connection: the step stays blocked. */
export const SEND_WAITING = 1;
/** The request went out (or failed for want of a connection): the step may complete. */
export const SEND_READY = 2;

export class SendState {
  phase = SEND_IDLE;
  /** Request slot of the last request (for the await step), or -1. */
  slot = -1;

  reset(): void {
    this.phase = SEND_IDLE;
    this.slot = -1;
  }
}
