/**
 * One scheduler per worker: a binary min-heap of (due time, target, tag) driving think times, delays and
 * open-model starts from a single underlying timer. Entries live in parallel typed arrays that grow by doubling,
 * so scheduling allocates nothing once warm. Entries due at the same time fire in the order they were scheduled.
 *
 * There is no cancel: a target receives the `tag` it scheduled with and ignores fires it no longer expects
 * (sessions pass their generation, so a timer set by a previous user of a pooled session is dropped).
 */
import type { Clock } from './clock.js';

export interface TimerTarget {
  onTimer(tag: number, nowNs: number): void;
}

const INITIAL_CAPACITY = 64;

export class Scheduler {
  private dueNs = new Float64Array(INITIAL_CAPACITY);
  private order = new Float64Array(INITIAL_CAPACITY);
  private tags = new Float64Array(INITIAL_CAPACITY);
  private targets: Array<TimerTarget | undefined> = new Array<TimerTarget | undefined>(INITIAL_CAPACITY);
  private count = 0;
  private nextOrder = 0;
  /** When the clock's timer is armed for, or Infinity when it is not armed. */
  private armedAtNs = Infinity;
  private firing = false;
  private closed = false;
  private readonly onClockTimer: () => void;
  /** Exceptions thrown by targets (they should not throw); firing goes on regardless. */
  errors = 0;
  lastError: unknown = undefined;

  constructor(private readonly clock: Clock) {
    this.onClockTimer = () => {
      this.armedAtNs = Infinity;
      this.runDue(this.clock.nowNs());
    };
  }

  /** Entries waiting. */
  get size(): number {
    return this.count;
  }

  /** Due time of the earliest entry, or Infinity. */
  get nextDueNs(): number {
    return this.count > 0 ? this.dueNs[0]! : Infinity;
  }

  /** Calls `target.onTimer(tag, now)` once the clock reaches `dueNs` (at once, on the next fire, if it is past). */
  schedule(dueNs: number, target: TimerTarget, tag: number): void {
    if (this.closed) return;
    if (this.count === this.dueNs.length) this.grow();
    let i = this.count++;
    const order = this.nextOrder++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(dueNs, order, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.dueNs[i] = dueNs;
    this.order[i] = order;
    this.tags[i] = tag;
    this.targets[i] = target;
    if (!this.firing && dueNs < this.armedAtNs) this.arm();
  }

  /** Fires every entry due at `nowNs` or earlier, in order; returns how many fired. Re-arms the clock after. */
  runDue(nowNs: number): number {
    if (this.firing) return 0;
    this.firing = true;
    let fired = 0;
    try {
      while (this.count > 0 && this.dueNs[0]! <= nowNs) {
        const target = this.targets[0]!;
        const tag = this.tags[0]!;
        this.removeHead();
        fired++;
        try {
          target.onTimer(tag, nowNs);
        } catch (error) {
          this.errors++;
          this.lastError = error;
        }
      }
    } finally {
      this.firing = false;
      if (!this.closed) this.arm();
    }
    return fired;
  }

  /** Drops every entry and disarms the clock; later `schedule` calls are ignored. */
  close(): void {
    this.closed = true;
    this.targets.fill(undefined);
    this.count = 0;
    this.clock.clearTimer();
    this.armedAtNs = Infinity;
  }

  private arm(): void {
    if (this.count === 0) {
      if (this.armedAtNs !== Infinity) this.clock.clearTimer();
      this.armedAtNs = Infinity;
      return;
    }
    const head = this.dueNs[0]!;
    if (head === this.armedAtNs) return;
    this.armedAtNs = head;
    this.clock.setTimer(head, this.onClockTimer);
  }

  /** Whether (dueNs, order) fires before the entry at `index`. */
  private before(dueNs: number, order: number, index: number): boolean {
    return earlier(dueNs, order, this.dueNs[index]!, this.order[index]!);
  }

  private move(from: number, to: number): void {
    this.dueNs[to] = this.dueNs[from]!;
    this.order[to] = this.order[from]!;
    this.tags[to] = this.tags[from]!;
    this.targets[to] = this.targets[from];
  }

  private removeHead(): void {
    const last = --this.count;
    if (last === 0) {
      this.targets[0] = undefined;
      return;
    }
    const dueNs = this.dueNs[last]!;
    const order = this.order[last]!;
    const tag = this.tags[last]!;
    const target = this.targets[last];
    this.targets[last] = undefined;
    // Sift down the former last entry from the root.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.before(this.dueNs[right]!, this.order[right]!, left) ? right : left;
      // Stop once the smaller child does not fire before the entry being placed.
      if (!earlier(this.dueNs[child]!, this.order[child]!, dueNs, order)) break;
      this.move(child, i);
      i = child;
    }
    this.dueNs[i] = dueNs;
    this.order[i] = order;
    this.tags[i] = tag;
    this.targets[i] = target;
  }

  private grow(): void {
    const capacity = this.dueNs.length * 2;
    const dueNs = new Float64Array(capacity);
    dueNs.set(this.dueNs);
    const order = new Float64Array(capacity);
    order.set(this.order);
    const tags = new Float64Array(capacity);
    tags.set(this.tags);
    this.dueNs = dueNs;
    this.order = order;
    this.tags = tags;
    this.targets.length = capacity;
  }
}

function earlier(aDueNs: number, aOrder: number, bDueNs: number, bOrder: number): boolean {
  return aDueNs < bDueNs || (aDueNs === bDueNs && aOrder < bOrder);
}
