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
  // Two buffers with explicit counts: they only ever grow, so a steady load allocates nothing here (setting an
  // array's length to 0 would make V8 drop its storage and regrow it on every batch).
  private pending: Array<Runnable | undefined> = [];
  private pendingCount = 0;
  private spare: Array<Runnable | undefined> = [];
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
    this.pending[this.pendingCount++] = item;
    if (!this.scheduled) {
      this.scheduled = true;
      this.clock.defer(this.drainTask);
    }
  }

  get size(): number {
    return this.pendingCount;
  }

  /** Runs the current batch now (the deferred task calls this). */
  drain(): void {
    this.scheduled = false;
    if (this.closed) return;
    const batch = this.pending;
    const count = this.pendingCount;
    this.pending = this.spare;
    this.pendingCount = 0;
    this.spare = batch;
    this.batches++;
    for (let i = 0; i < count; i++) {
      const item = batch[i]!;
      batch[i] = undefined;
      try {
        item.runQueued();
      } catch (error) {
        this.errors++;
        this.lastError = error;
      }
    }
  }

  close(): void {
    this.closed = true;
    this.pending.fill(undefined);
    this.pendingCount = 0;
  }
}
