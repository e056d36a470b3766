/**
 * Map pools shared by the sessions of one worker (`pushSharedMap` / `pullSharedMap`): each entry holds the values
 * of some variables. A pull takes a random entry, or a random one among those whose value of the `match` variable
 * equals the session's, and removes it from the pool. Entries are recycled.
 */
import type { Random } from '../rng.js';

export class SharedMapEntry {
  names: readonly string[] = [];
  values: unknown[] = [];
  /** Position in the pool's entry array. */
  position = -1;
  /** This entry's key in each index of the pool (parallel to the pool's index names). */
  indexKeys: string[] = [];

  indexOfName(name: string): number {
    return this.names.indexOf(name);
  }
}

/** How values are compared for `match` (an int and a text are different keys, as in Java). */
export function matchKey(value: unknown): string {
  if (typeof value === 'number') return `i${value}`;
  if (value instanceof Uint8Array) return `s${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')}`;
  return `s${String(value)}`;
}

export class SharedMapPool {
  private readonly entries: SharedMapEntry[] = [];
  private readonly free: SharedMapEntry[] = [];
  private readonly indexNames: string[] = [];
  private readonly indices: Array<Map<string, SharedMapEntry[]>> = [];

  constructor(readonly key: string, private readonly random: Random) {}

  get size(): number {
    return this.entries.length;
  }

  /** Entries will be findable by the value of variable `name` (declared at compile time by pullSharedMap.match). */
  ensureIndex(name: string): number {
    const existing = this.indexNames.indexOf(name);
    if (existing >= 0) return existing;
    if (this.entries.length > 0) throw new Error(`shared map \`${this.key}\`: an index was added after entries were pushed`);
    this.indexNames.push(name);
    this.indices.push(new Map());
    return this.indexNames.length - 1;
  }

  /** An entry to fill (`names` and `values`, same length) and then `insert`. */
  acquire(): SharedMapEntry {
    return this.free.pop() ?? new SharedMapEntry();
  }

  insert(entry: SharedMapEntry): void {
    entry.position = this.entries.length;
    this.entries.push(entry);
    for (let i = 0; i < this.indexNames.length; i++) {
      const at = entry.indexOfName(this.indexNames[i]!);
      const key = at < 0 ? '' : matchKey(entry.values[at]);
      entry.indexKeys[i] = key;
      if (at < 0) continue;
      const index = this.indices[i]!;
      let bucket = index.get(key);
      if (bucket === undefined) {
        bucket = [];
        index.set(key, bucket);
      }
      bucket.push(entry);
    }
  }

  /** Removes and returns a random entry, or null when the pool is empty. */
  takeRandom(): SharedMapEntry | null {
    const count = this.entries.length;
    if (count === 0) return null;
    const entry = this.entries[Math.floor(this.random.nextDouble() * count)]!;
    this.remove(entry);
    return entry;
  }

  /** Removes and returns a random entry whose `name` variable has this value, or null. */
  takeMatching(indexId: number, value: unknown): SharedMapEntry | null {
    const bucket = this.indices[indexId]!.get(matchKey(value));
    if (bucket === undefined || bucket.length === 0) return null;
    const entry = bucket[Math.floor(this.random.nextDouble() * bucket.length)]!;
    this.remove(entry);
    return entry;
  }

  /** Gives an entry taken from the pool back for reuse. */
  release(entry: SharedMapEntry): void {
    entry.values.fill(undefined);
    entry.position = -1;
    this.free.push(entry);
  }

  private remove(entry: SharedMapEntry): void {
    const last = this.entries.pop()!;
    if (last !== entry) {
      this.entries[entry.position] = last;
      last.position = entry.position;
    }
    for (let i = 0; i < this.indexNames.length; i++) {
      const key = entry.indexKeys[i]!;
      const index = this.indices[i]!;
      const bucket = index.get(key);
      if (bucket === undefined) continue;
      const at = bucket.indexOf(entry);
      if (at < 0) continue;
      bucket[at] = bucket[bucket.length - 1]!;
      bucket.pop();
      if (bucket.length === 0) index.delete(key);
    }
  }
}
