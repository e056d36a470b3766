/** Messages between an agent's main thread and its worker threads (structured-cloned, never leave the process). */
import type { SlaSpec } from '../config/index.js';
import type { AgentPhaseStatusName, BenchmarkSource, ConnectionRow, PhaseCommandName } from '../protocol/index.js';

export interface WorkerInit {
  readonly runId: string;
  readonly agentName: string;
  readonly agentIndex: number;
  readonly agentThreads: readonly number[];
  readonly threadIndex: number;
  readonly benchmark: BenchmarkSource;
}

export type ToWorker =
  | { readonly type: 'phase'; readonly phase: string; readonly command: PhaseCommandName }
  | { readonly type: 'stop' };

export interface WorkerStatsItem {
  readonly phase: string;
  readonly stepId: number;
  readonly metric: string;
  readonly sequenceId: number;
  readonly snapshot: Uint8Array;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly warnings: readonly string[]; readonly stepSlas: Readonly<Record<string, readonly SlaSpec[]>> }
  | { readonly type: 'failed'; readonly message: string }
  | {
    readonly type: 'phaseStatus';
    readonly phase: string;
    readonly status: AgentPhaseStatusName;
    readonly sessionLimitExceeded: boolean;
    readonly error?: string;
  }
  | { readonly type: 'stats'; readonly items: readonly WorkerStatsItem[] }
  | { readonly type: 'phaseStatsComplete'; readonly phase: string }
  /** Lateness of scheduled starts and event-loop lag of a terminated phase (HdrHistogram V2 encodings). */
  | {
    readonly type: 'generatorLoad';
    readonly phase: string;
    readonly lateness: Uint8Array;
    readonly loopLag: Uint8Array;
    readonly throttledStarts: number;
    readonly droppedStarts: number;
  }
  | { readonly type: 'sessions'; readonly timestampMs: number; readonly phases: Readonly<Record<string, { min: number; max: number }>> }
  | { readonly type: 'connections'; readonly timestampMs: number; readonly rows: readonly ConnectionRow[] }
  | { readonly type: 'stopped' };
