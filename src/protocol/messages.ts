/**
 * Messages between the controller and its agents (and, inside an agent, between the agent and its worker threads).
 * Versioned discriminated unions, validated on receipt: a peer of another protocol version is refused with a
 * message that says so, and a malformed message is an error, never a crash.
 */

import type { SlaSpec } from '../config/index.js';

/** Bumped whenever a message changes shape; controller and agents must agree. */
export const PROTOCOL_VERSION = 1;

/** A benchmark as it travels: its source, parameters and data files; each receiver parses it itself. */
export interface BenchmarkSource {
  readonly fileName: string;
  readonly text: string;
  readonly params: Readonly<Record<string, string>>;
  /** Data files, base64-encoded, by the name written in the benchmark. */
  readonly files: Readonly<Record<string, string>>;
}

/** An extension a run needs (see src/extensions): an agent accepts `init` only if it has loaded this very one. */
export interface ExtensionRef {
  readonly name: string;
  /** SHA-256 (hex) of the compiled module. */
  readonly sha256: string;
}

export type PhaseCommandName = 'RUN' | 'FINISH' | 'TRY_TERMINATE' | 'TERMINATE';
export type AgentPhaseStatusName = 'RUNNING' | 'FINISHED' | 'TERMINATED';

// ---- controller → agent -------------------------------------------------------------------------------------

export type ControllerMessage =
  | {
    readonly type: 'init';
    readonly runId: string;
    readonly agentName: string;
    readonly agentIndex: number;
    /** Threads of every agent, in agent order, so that each agent computes its exact share. */
    readonly agentThreads: readonly number[];
    readonly benchmark: BenchmarkSource;
    /** The controller's extensions (absent: none). */
    readonly extensions?: readonly ExtensionRef[];
  }
  | { readonly type: 'phase'; readonly phase: string; readonly command: PhaseCommandName }
  /** `GET /run/{id}/sessions` and `/connections`: the agent answers with a `listing` of the same `requestId`. */
  | { readonly type: 'list'; readonly requestId: number; readonly what: ListingKind; readonly inactive: boolean }
  | { readonly type: 'stop' };

export type ListingKind = 'sessions' | 'connections';

/**
 * A record keyed by names that come from agents or benchmarks: with no prototype, a key such as `__proto__` is an
 * ordinary key, never `Object.prototype`.
 */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Global counters added up (threads of an agent, agents of a run): key → counter → sum; `into` (made by
 * `nameRecord`) is updated.
 */
export function addCounters(
  into: Record<string, Record<string, number>>, more: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Record<string, Record<string, number>> {
  for (const [key, counters] of Object.entries(more)) {
    const sums = (into[key] ??= nameRecord());
    for (const [name, value] of Object.entries(counters)) sums[name] = (sums[name] ?? 0) + value;
  }
  return into;
}

// ---- agent → controller -------------------------------------------------------------------------------------

export interface StatsItem {
  readonly phase: string;
  readonly stepId: number;
  readonly metric: string;
  /** Index of the statistics period since the phase started. */
  readonly sequenceId: number;
  /** Encoded snapshot (see src/stats codec), base64. */
  readonly snapshot: string;
}

export interface ConnectionRow {
  readonly authority: string;
  readonly type: string;
  readonly min: number;
  readonly max: number;
}

export type AgentMessage =
  | { readonly type: 'hello'; readonly version: number; readonly name: string; readonly token: string; readonly agentTimeMs: number }
  /** Compiled and connected. `stepSlas`: the SLAs of each request step, by step id (ids agree across agents). */
  | { readonly type: 'ready'; readonly stepSlas: Readonly<Record<string, readonly SlaSpec[]>> }
  | {
    readonly type: 'phaseStatus';
    readonly phase: string;
    readonly status: AgentPhaseStatusName;
    readonly sessionLimitExceeded: boolean;
    readonly error?: string;
    /** The agent's clock when it saw this status; with the agent's clock offset it gives each agent's phase start. */
    readonly agentTimeMs?: number;
    /** With TERMINATED: the agent's CPU use over the phase, as text (`agentCpu`). */
    readonly cpuUsage?: string;
    /** With TERMINATED: sums of what `publishGlobalCounters` published in the phase, key → counter → sum. */
    readonly globalCounters?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  }
  | { readonly type: 'stats'; readonly items: readonly StatsItem[] }
  | { readonly type: 'phaseStatsComplete'; readonly phase: string }
  /**
   * One worker thread's health in a terminated phase, sent before its phaseStatsComplete: lateness of open-model
   * starts and event-loop lag (HdrHistogram V2 encodings in base64, ns), throttled and dropped starts.
   */
  | {
    readonly type: 'generatorLoad';
    readonly phase: string;
    readonly lateness: string;
    readonly loopLag: string;
    readonly throttledStarts: number;
    readonly droppedStarts: number;
  }
  | {
    readonly type: 'sessions';
    readonly timestampMs: number;
    readonly phases: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  }
  /** Connection-pool figures of the period: per authority and type (`in-flight requests`, `used connections`…). */
  | { readonly type: 'connections'; readonly timestampMs: number; readonly rows: ReadonlyArray<ConnectionRow> }
  | { readonly type: 'heartbeat'; readonly agentTimeMs: number }
  /** The answer to `list`: one line per session or connection. */
  | { readonly type: 'listing'; readonly requestId: number; readonly lines: readonly string[] }
  | { readonly type: 'error'; readonly message: string; readonly fatal: boolean }
  | { readonly type: 'stopped' };
