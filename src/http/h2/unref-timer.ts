// A re-armable one-shot timer that does not keep the process alive (connect and request deadlines).

export class UnrefTimer {
  /** When it fires (`nowMs()` scale), Infinity when not armed. */
  atMs = Infinity;
  private timer: NodeJS.Timeout | null = null;
  private readonly fire: () => void;

  constructor(fire: () => void) {
    this.fire = fire;
  }

  /** (Re)arms for `delayMs` from now; `atMs` records the deadline it stands for. */
  start(delayMs: number, atMs = Infinity): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.atMs = atMs;
    this.timer = setTimeout(this.onFire, delayMs);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.atMs = Infinity;
  }

  private readonly onFire = (): void => {
    this.timer = null;
    this.atMs = Infinity;
    this.fire();
  };
}
