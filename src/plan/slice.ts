/**
 * Splitting whole numbers and rates among agents (in proportion to their threads) and among threads, so that the
 * parts add up to the whole (Hyperfoil's `Benchmark.slice`).
 */
import type { SharedConnections } from '../config/index.js';

function checkIndex(index: number, weights: readonly number[]): void {
  if (!Number.isInteger(index) || index < 0 || index >= weights.length) {
    throw new RangeError(`index ${index} is outside 0..${weights.length - 1}`);
  }
  if (weights.some((w) => !Number.isInteger(w) || w < 1)) throw new RangeError(`weights must be whole numbers ≥ 1, got [${weights.join(', ')}]`);
}

/**
 * Part `index` of the integer `total` split in proportion to `weights`: `⌊(before+mine)·total/sum⌋ − ⌊before·total/sum⌋`.
 * The parts of all indices sum to `total` exactly and differ from the exact share by less than 1.
 */
export function sliceInt(total: number, index: number, weights: readonly number[]): number {
  checkIndex(index, weights);
  const sum = weights.reduce((a, b) => a + b, 0);
  let before = 0;
  for (let i = 0; i < index; i++) before += weights[i] as number;
  const mine = weights[index] as number;
  return Math.floor(((before + mine) * total) / sum) - Math.floor((before * total) / sum);
}

/** An agent's part of an integer, in proportion to the agents' thread counts. */
export function sliceForAgent(total: number, agentIndex: number, agentThreads: readonly number[]): number {
  return sliceInt(total, agentIndex, agentThreads);
}

/** An agent's part of a rate (users per second), in proportion to the agents' thread counts. */
export function sliceRate(ratePerSec: number, agentIndex: number, agentThreads: readonly number[]): number {
  checkIndex(agentIndex, agentThreads);
  const sum = agentThreads.reduce((a, b) => a + b, 0);
  return (ratePerSec * (agentThreads[agentIndex] as number)) / sum;
}

/** A session pool must hold at least one session wherever it runs. */
export function sliceMaxSessions(total: number, index: number, weights: readonly number[]): number {
  return Math.max(1, sliceInt(total, index, weights));
}

/**
 * Connections are split among executors; each executor gets at least one (so with more executors than connections
 * the parts add up to more than the whole, as in Hyperfoil). `minimum` is the number of executors the part is for
 * (an agent's threads). `core` and `buffer` of 0 stay 0; neither exceeds `max`.
 */
export function sliceSharedConnections(total: SharedConnections, index: number, weights: readonly number[], minimum = 1): SharedConnections {
  const max = Math.max(minimum, sliceInt(total.max, index, weights));
  const part = (value: number): number => (value === 0 ? 0 : Math.min(max, Math.max(minimum, sliceInt(value, index, weights))));
  return { core: part(total.core), max, buffer: part(total.buffer), keepAliveTimeMs: total.keepAliveTimeMs };
}
