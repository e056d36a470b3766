/**
 * The session's in-flight request slots (`maxRequests`): a step takes a slot index before sending and gives it
 * back when the request is done; the index lets the HTTP layer keep one pre-allocated request context per slot.
 * A step that finds no free slot returns false (blocked); releasing a slot wakes the session.
 */

export interface Wakeable {
  proceed(): void;
  /** Changes when the session ends; a release from an earlier life is ignored. */
  readonly generation: number;
}

export class RequestSlots {
  private readonly free: Int32Array;
  private freeCount: number;
  private readonly used: Uint8Array;

  constructor(readonly capacity: number, private readonly owner: Wakeable) {
    this.free = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.freeCount = 0;
    this.reset();
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.capacity - this.freeCount;
  }

  get available(): number {
    return this.freeCount;
  }

  /** A free slot index, or -1 when all are in use. */
  tryAcquire(): number {
    if (this.freeCount === 0) return -1;
    const slot = this.free[--this.freeCount]!;
    this.used[slot] = 1;
    return slot;
  }

  /**
   * Gives a slot back and wakes the session. `generation` is the session's generation when the slot was taken:
   * a late release from an earlier user of a pooled session (its response arrived after the session ended) is
   * ignored, as is releasing a free slot.
   */
  release(slot: number, generation: number): void {
    if (generation !== this.owner.generation || slot < 0 || slot >= this.capacity || this.used[slot] !== 1) return;
    this.used[slot] = 0;
    this.free[this.freeCount++] = slot;
    this.owner.proceed();
  }

  isInUse(slot: number): boolean {
    return this.used[slot] === 1;
  }

  reset(): void {
    const used = this.used;
    // A loop rather than fill(): see zeroSmall in vars.ts (runs at every session start).
    for (let i = 0; i < used.length; i++) used[i] = 0;
    // Lowest indices are handed out first.
    for (let i = 0; i < this.capacity; i++) this.free[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }
}
