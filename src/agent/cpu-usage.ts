/**
 * The agent's CPU use over a phase, reported with the phase's TERMINATED status and shown by `GET
 * /run/{id}/agentCpu`, all.json `agentCpu` and the shell's `cpu`: the CPU time of the agent's process (every worker
 * thread included) divided by the wall time, as a percentage of one core and of the machine's cores. (Hyperfoil
 * samples the machine's idle time instead; an in-vm agent's figure includes the controller in the same process.)
 */
import { availableParallelism } from 'node:os';

export interface CpuMark {
  readonly usage: NodeJS.CpuUsage;
  readonly wallNs: bigint;
}

export function cpuMark(): CpuMark {
  return { usage: process.cpuUsage(), wallNs: process.hrtime.bigint() };
}

/** `"37.5% of one core (18.8% of 2 cores)"` between `since` and now; `cores` is for tests. */
export function cpuUsageSince(since: CpuMark, cores = availableParallelism()): string {
  const usage = process.cpuUsage(since.usage);
  const wallUs = Number(process.hrtime.bigint() - since.wallNs) / 1000;
  const cpuUs = usage.user + usage.system;
  const ofOneCore = wallUs > 0 ? (cpuUs / wallUs) * 100 : 0;
  return `${ofOneCore.toFixed(1)}% of one core (${(ofOneCore / cores).toFixed(1)}% of ${cores} cores)`;
}
