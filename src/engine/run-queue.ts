/**
 * Batches session wake-ups: `proceed()` enqueues a session once, and one deferred task (setImmediate) runs every
 * queued session's loop. Sessions woken while the batch runs go to the next batch, so an `always` phase restarting
 * empty sessions cannot starve I/O.
 */
import type { Clock } from './clock.js';

export interface Runnable {
  runQueued(): void;
}

export class RunQueue {
  private pending: Runnable[] = [];
  private spare: Runnable[] = [];
  private scheduled = false;
  private closed = false;
  private readonly drainTask: () => void;
  /** Batches run so far (for tests and figures). */
  batches = 0;
  /** Exceptions that escaped an item (a throwing stats sink or listener); the batch goes on regardless. */
  errors = 0;
  lastError: unknown = undefined;

  constructor(private readonly clock: Clock) {
    this.drainTask = () => this.drain();
  }

  push(item: Runnable): void {
    if (this.closed) return;
    this.pending.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      this.clock.defer(this.drainTask);
    }
  }

  get size(): number {
    return this.pending.length;
  }

  /** Runs the current batch now (the deferred task calls this). */
  drain(): void {
    this.scheduled = false;
    if (this.closed) return;
    const batch = this.pending;
    this.pending = this.spare;
    this.spare = batch;
    this.batches++;
    for (let i = 0; i < batch.length; i++) {
      try {
        batch[i]!.runQueued();
      } catch (error) {
        this.errors++;
        this.lastError = error;
      }
    }
    batch.length = 0;
  }

  close(): void {
    this.closed = true;
    this.pending.length = 0;
  }
}
