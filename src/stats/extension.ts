// Named counters attached to a snapshot under a key: Hyperfoil's "stats extensions" other than `http` (which
// StatsSnapshot holds as plain fields). Examples: `transfer` of type `transfersize` (sent/received bytes, from
// rawBytes transferSizeRecorder), or `exact_status` of type `counters` (one counter per status code).

/** Counter names that an extension type always has, in Hyperfoil's header order (reported even when 0). */
export const FIXED_EXTENSION_NAMES: Readonly<Record<string, readonly string[]>> = {
  transfersize: ['sent', 'received'],
};

export class ExtensionCounters {
  private readonly indexByName = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly values: number[] = [];

  /** `type` is what JSON shows as "@type" (e.g. `transfersize`, `counters`). */
  constructor(readonly type: string) {
    for (const name of FIXED_EXTENSION_NAMES[type] ?? []) this.indexOf(name);
  }

  add(name: string, delta: number): void {
    const index = this.indexOf(name);
    this.values[index]! += delta;
  }

  get(name: string): number | undefined {
    const index = this.indexByName.get(name);
    return index === undefined ? undefined : this.values[index];
  }

  /** Counter names in first-use order. */
  headers(): readonly string[] {
    return this.names;
  }

  entries(): Array<[string, number]> {
    return this.names.map((name, i) => [name, this.values[i]!]);
  }

  isZero(): boolean {
    for (const value of this.values) if (value !== 0) return false;
    return true;
  }

  /** Zero every counter, keeping the names (so a pooled snapshot does not re-learn them). */
  reset(): void {
    this.values.fill(0);
  }

  addAll(other: ExtensionCounters, sign: 1 | -1 = 1): void {
    const names = other.names;
    const values = other.values;
    for (let i = 0; i < names.length; i++) this.add(names[i]!, sign * values[i]!);
  }

  clone(): ExtensionCounters {
    const copy = new ExtensionCounters(this.type);
    copy.addAll(this);
    return copy;
  }

  private indexOf(name: string): number {
    let index = this.indexByName.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.indexByName.set(name, index);
      this.names.push(name);
      this.values.push(0);
    }
    return index;
  }
}
