/**
 * What the steps of one worker (one engine thread, Hyperfoil's executor) share: the random generator, the shared
 * counters and map pools, the agent data, and where `log` writes.
 *
 * The host provides it as the `WORKER_DATA` service (`new WorkerData({ seed })`), which is how tests fix the seed.
 * Without the service, the steps of a worker share one instance created on first use, keyed by the worker's
 * identity object, with a random seed.
 */
import type { CompileContext } from '../compile-context.js';
import type { WorkerIdentity } from '../identity.js';
import { randomSeed, Xoshiro128 } from '../rng.js';
import type { Random } from '../rng.js';
import { serviceKey } from '../services.js';
import { SharedMapPool } from './shared-maps.js';

export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Writes to stderr (stdout carries the statistics of `hyperfoil run`). */
export const STDERR_LOGGER: StepLogger = {
  info: (message) => { process.stderr.write(`INFO  ${message}\n`); },
  warn: (message) => { process.stderr.write(`WARN  ${message}\n`); },
};

/** A counter shared by the sessions of a worker (Hyperfoil keeps a long). */
export class SharedCounter {
  value = 0;
}

export interface WorkerDataOptions {
  /** Seed of the random generator; random when absent. */
  readonly seed?: number;
  readonly logger?: StepLogger;
}

export class WorkerData {
  readonly random: Random;
  readonly logger: StepLogger;
  private readonly counters = new Map<string, SharedCounter>();
  private readonly maps = new Map<string, SharedMapPool>();
  /** Data published with `publishAgentData` (write once). */
  readonly agentData = new Map<string, unknown>();
  /** `publishGlobalCounters` sums of this worker: phase → key → counter → sum (taken when the phase terminates). */
  private readonly globalCounters = new Map<string, Map<string, Map<string, number>>>();
  private readonly warned = new Set<string>();

  constructor(options: WorkerDataOptions = {}) {
    this.random = new Xoshiro128(options.seed ?? randomSeed());
    this.logger = options.logger ?? STDERR_LOGGER;
  }

  /** The counter `key`, created (at 0) on first request: call at compile time and keep it. */
  counter(key: string): SharedCounter {
    let counter = this.counters.get(key);
    if (counter === undefined) {
      counter = new SharedCounter();
      this.counters.set(key, counter);
    }
    return counter;
  }

  /** The map pool `key`, created on first request: call at compile time and keep it. */
  mapPool(key: string): SharedMapPool {
    let pool = this.maps.get(key);
    if (pool === undefined) {
      pool = new SharedMapPool(key, this.random);
      this.maps.set(key, pool);
    }
    return pool;
  }

  /** Adds `value` to counter `name` of the global record `key` published in `phase`. */
  addGlobalCounter(phase: string, key: string, name: string, value: number): void {
    let byKey = this.globalCounters.get(phase);
    if (byKey === undefined) {
      byKey = new Map();
      this.globalCounters.set(phase, byKey);
    }
    let counters = byKey.get(key);
    if (counters === undefined) {
      counters = new Map();
      byKey.set(key, counters);
    }
    counters.set(name, (counters.get(name) ?? 0) + value);
  }

  /** The global counters published in `phase` (key → counter → sum), then forgotten; undefined when none. */
  takeGlobalCounters(phase: string): Record<string, Record<string, number>> | undefined {
    const byKey = this.globalCounters.get(phase);
    if (byKey === undefined) return undefined;
    this.globalCounters.delete(phase);
    return Object.fromEntries([...byKey].map(([key, counters]) => [key, Object.fromEntries(counters)]));
  }

  /** Logs a warning the first time `key` is seen (problems that would otherwise repeat for every request). */
  warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(`${message} (reported once)`);
  }
}

export const WORKER_DATA = serviceKey<WorkerData>('steps.workerData');

const fallbacks = new WeakMap<WorkerIdentity, WorkerData>();

/** The worker's shared data: the host's service, or one instance per worker identity. */
export function workerDataOf(cx: CompileContext): WorkerData {
  const provided = cx.optionalService(WORKER_DATA);
  if (provided !== undefined) return provided;
  let data = fallbacks.get(cx.identity);
  if (data === undefined) {
    data = new WorkerData({ seed: (randomSeed() ^ Math.imul(cx.identity.globalThreadId + 1, 0x9e3779b9)) >>> 0 });
    fallbacks.set(cx.identity, data);
  }
  return data;
}
