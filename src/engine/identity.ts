/** Who this worker is within the run: the numbers behind the `hyperfoil.*` variables. */
export interface WorkerIdentity {
  /** Run id as shown to users, e.g. `0001`. */
  readonly runId: string;
  readonly agentId: number;
  /** Number of agents (1 when running in-process). */
  readonly agents: number;
  readonly agentThreadId: number;
  readonly agentThreads: number;
  /** Unique across all agents: 0..globalThreads-1. */
  readonly globalThreadId: number;
  readonly globalThreads: number;
}

/** A single worker on a single agent (tests, `hyperfoil run` with one thread). */
export const SOLO_WORKER: WorkerIdentity = {
  runId: '0000', agentId: 0, agents: 1, agentThreadId: 0, agentThreads: 1, globalThreadId: 0, globalThreads: 1,
};
