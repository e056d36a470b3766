/**
 * Bytes allocated in V8's new space per unit of work, in the optimised steady state.
 *
 * Until V8 has optimised the hot functions (on a background thread: later when the machine is busy), unoptimised
 * code boxes doubles such as ns timestamps, so a first measurement can show allocation the steady state does not
 * have. This measures up to `rounds` times and keeps the best round; an allocation in the code itself shows in
 * every round, so it is still caught.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function steadyStateAllocation(work: () => number, limitBytesPerUnit: number, rounds = 5): { bytes: number; units: number } {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const newSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
  let best = { bytes: Number.POSITIVE_INFINITY, units: 1 };
  for (let round = 0; round < rounds && best.bytes / best.units >= limitBytesPerUnit; round++) {
    gc();
    const before = newSpaceUsed();
    const units = work();
    const bytes = newSpaceUsed() - before;
    if (bytes / Math.max(1, units) < best.bytes / best.units) best = { bytes, units: Math.max(1, units) };
  }
  return best;
}
