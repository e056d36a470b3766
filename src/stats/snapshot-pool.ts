// A small free list of snapshots so that per-second buckets are reused instead of allocated (each int32
// snapshot holds a 15 KB counts array).
import type { CountsWidth } from './histogram.js';
import { StatsSnapshot } from './snapshot.js';

export class SnapshotPool {
  private readonly free: StatsSnapshot[] = [];

  constructor(
    readonly width: CountsWidth = 'int32',
    /** Snapshots kept for reuse at most; more are left to the garbage collector. */
    readonly maxFree = 64,
  ) {}

  /** An empty snapshot. */
  acquire(): StatsSnapshot {
    return this.free.pop() ?? new StatsSnapshot(this.width);
  }

  /** Give a snapshot back; it is reset now. Do not use it afterwards. */
  release(snapshot: StatsSnapshot): void {
    if (this.free.length < this.maxFree && snapshot.width === this.width) this.free.push(snapshot.reset());
  }

  get freeCount(): number {
    return this.free.length;
  }
}
