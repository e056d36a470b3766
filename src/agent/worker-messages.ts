/** Messages between an agent's main thread and its worker threads (structured-cloned, never leave the process). */
import type { SlaSpec } from '../config/index.js';
import type { AgentMessage, BenchmarkSource, ListingKind, PhaseCommandName } from '../protocol/index.js';

export interface WorkerInit {
  readonly runId: string;
  readonly agentName: string;
  readonly agentIndex: number;
  readonly agentThreads: readonly number[];
  readonly threadIndex: number;
  readonly benchmark: BenchmarkSource;
  /** Compiled extension modules to load before the benchmark is parsed. */
  readonly extensionFiles?: readonly string[];
}

export type ToWorker =
  | { readonly type: 'phase'; readonly phase: string; readonly command: PhaseCommandName }
  | { readonly type: 'list'; readonly requestId: number; readonly what: ListingKind; readonly inactive: boolean }
  | { readonly type: 'stop' };

export interface WorkerStatsItem {
  readonly phase: string;
  readonly stepId: number;
  readonly metric: string;
  readonly sequenceId: number;
  readonly snapshot: Uint8Array;
}

/** What a worker tells the agent: some messages go on to the controller as they are, others are merged first. */
export type FromWorker =
  | { readonly type: 'ready'; readonly warnings: readonly string[]; readonly stepSlas: Readonly<Record<string, readonly SlaSpec[]>> }
  | { readonly type: 'failed'; readonly message: string }
  | Omit<Extract<AgentMessage, { type: 'phaseStatus' }>, 'agentTimeMs'>
  | { readonly type: 'stats'; readonly items: readonly WorkerStatsItem[] }
  /** Lateness of scheduled starts and event-loop lag of a terminated phase (HdrHistogram V2 encodings). */
  | {
    readonly type: 'generatorLoad';
    readonly phase: string;
    readonly lateness: Uint8Array;
    readonly loopLag: Uint8Array;
    readonly throttledStarts: number;
    readonly droppedStarts: number;
  }
  | Extract<AgentMessage, { type: 'phaseStatsComplete' | 'sessions' | 'connections' | 'listing' | 'stopped' }>;
