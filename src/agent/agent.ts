/**
 * An agent: receives its share of a run from the controller, runs it on `threads` worker threads, and reports
 * phase statuses (the least advanced of its threads), statistics and session figures. Its main thread does only
 * control and relaying, so a saturated load loop never delays heartbeats.
 */
import { Worker } from 'node:worker_threads';
import { extensionMismatch } from '../extensions/index.js';
import type { LoadedExtension } from '../extensions/index.js';
import { addCounters, nameRecord } from '../protocol/index.js';
import { cpuMark, cpuUsageSince } from './cpu-usage.js';
import type { CpuMark } from './cpu-usage.js';
import type { AgentMessage, AgentPhaseStatusName, ControllerMessage, StatsItem } from '../protocol/index.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-messages.js';

/** The agent's side of its connection to the controller. */
export interface ControllerChannel {
  send(message: AgentMessage): void;
  onMessage(listener: (message: ControllerMessage) => void): void;
  onClose(listener: (reason: string) => void): void;
  close(): void;
}

const WORKER_URL = new URL('./worker-main.js', import.meta.url);
const STATUS_RANK: Record<AgentPhaseStatusName, number> = { RUNNING: 1, FINISHED: 2, TERMINATED: 3 };
const HEARTBEAT_MS = 1000;
/**
 * The young generation of a load thread: 8 MB semi-spaces instead of V8's 16 MB. Building the sessions (10,000
 * users: ~22 MB that all survive) makes V8 grow the young generation to its maximum, and with an allocation-free
 * steady state nothing shrinks it again: the default cost 16 MB of RSS for nothing (10,000-session bench).
 * Steady-state scavenges are as rare as before, since they are set by allocation, which the hot path avoids.
 */
const WORKER_YOUNG_GENERATION_MB = 24; // V8 sizes it as 3 semi-spaces (two and the new large-object space)

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

interface PhaseProgress {
  readonly statuses: Array<AgentPhaseStatusName | undefined>;
  reported?: AgentPhaseStatusName;
  sessionLimitExceeded: boolean;
  error?: string;
  readonly statsComplete: Set<number>;
  /** CPU counters when the phase was reported RUNNING. */
  cpuAtStart?: CpuMark;
  /** The threads' `publishGlobalCounters` sums, added up (key → counter → sum). */
  globalCounters?: Record<string, Record<string, number>>;
}

export class Agent {
  private workers: Worker[] = [];
  private readonly phases = new Map<string, PhaseProgress>();
  /** `list` requests being answered by the worker threads, by request id. */
  private readonly listings = new Map<number, { lines: string[]; answered: number }>();
  private readyCount = 0;
  private stoppedCount = 0;
  private stepSlas: Record<string, unknown> = {};
  private heartbeat?: NodeJS.Timeout;
  private closed = false;
  /** Resolves when the agent has stopped (after `stop` or a fatal error). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  /**
   * `workerUrl`: the module each worker thread runs (default: `worker-main.js` beside this file); the single-file
   * agent bundle passes its own URL, since it holds the worker code too. `extensions`: the compiled extensions
   * this agent has (its worker threads load them); `init` is refused unless they are the controller's.
   */
  constructor(
    readonly name: string, private readonly channel: ControllerChannel, private readonly workerUrl: URL = WORKER_URL,
    private readonly extensions: readonly LoadedExtension[] = [],
  ) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    channel.onMessage((message) => this.handle(message));
    channel.onClose(() => this.shutdown());
    this.heartbeat = setInterval(() => channel.send({ type: 'heartbeat', agentTimeMs: Date.now() }), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private handle(message: ControllerMessage): void {
    switch (message.type) {
      case 'init': this.initialize(message); return;
      case 'phase': this.broadcast({ type: 'phase', phase: message.phase, command: message.command }); return;
      case 'list':
        if (this.workers.length === 0) {
          this.channel.send({ type: 'listing', requestId: message.requestId, lines: [] });
        } else {
          this.listings.set(message.requestId, { lines: [], answered: 0 });
          this.broadcast(message);
        }
        return;
      case 'stop':
        if (this.workers.length === 0) {
          this.channel.send({ type: 'stopped' });
          this.shutdown();
        } else {
          this.broadcast({ type: 'stop' });
        }
    }
  }

  private initialize(message: Extract<ControllerMessage, { type: 'init' }>): void {
    const mismatch = extensionMismatch(message.agentName, message.extensions ?? [], this.extensions);
    if (mismatch !== undefined) {
      this.fatal(mismatch);
      return;
    }
    const threads = message.agentThreads[message.agentIndex] ?? 1;
    const extensionFiles = this.extensions.map((e) => e.file);
    for (let threadIndex = 0; threadIndex < threads; threadIndex++) {
      const init: WorkerInit = {
        runId: message.runId, agentName: message.agentName, agentIndex: message.agentIndex,
        agentThreads: message.agentThreads, threadIndex, benchmark: message.benchmark, extensionFiles,
      };
      const worker = new Worker(this.workerUrl, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      worker.on('message', (m: FromWorker) => this.fromWorker(threadIndex, threads, m));
      worker.on('error', (error) => this.fatal(`worker thread ${threadIndex} crashed: ${error.message}`));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fatal(`worker thread ${threadIndex} exited with code ${code}`);
      });
      this.workers.push(worker);
    }
  }

  private fromWorker(thread: number, threads: number, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.stepSlas = { ...this.stepSlas, ...message.stepSlas };
        if (++this.readyCount === threads) this.channel.send({ type: 'ready', stepSlas: this.stepSlas as Extract<AgentMessage, { type: 'ready' }>['stepSlas'] });
        return;
      case 'failed':
        this.fatal(message.message);
        return;
      case 'phaseStatus': {
        const progress = this.progress(message.phase, threads);
        progress.statuses[thread] = message.status;
        progress.sessionLimitExceeded ||= message.sessionLimitExceeded;
        if (message.error !== undefined) progress.error ??= message.error;
        if (message.globalCounters !== undefined) progress.globalCounters = addCounters(progress.globalCounters ?? nameRecord(), message.globalCounters);
        if (progress.statuses.some((s) => s === undefined)) return;
        const least = progress.statuses.reduce<AgentPhaseStatusName>(
          (min, s) => (STATUS_RANK[s as AgentPhaseStatusName] < STATUS_RANK[min] ? (s as AgentPhaseStatusName) : min), 'TERMINATED');
        if (progress.reported === least) return;
        progress.reported = least;
        if (least === 'RUNNING') progress.cpuAtStart = cpuMark();
        const cpuUsage = least === 'TERMINATED' && progress.cpuAtStart !== undefined ? cpuUsageSince(progress.cpuAtStart) : undefined;
        this.channel.send({
          type: 'phaseStatus', phase: message.phase, status: least, sessionLimitExceeded: progress.sessionLimitExceeded,
          agentTimeMs: Date.now(),
          ...(progress.error !== undefined ? { error: progress.error } : {}),
          ...(cpuUsage !== undefined ? { cpuUsage } : {}),
          ...(least === 'TERMINATED' && progress.globalCounters !== undefined ? { globalCounters: progress.globalCounters } : {}),
        });
        return;
      }
      case 'stats': {
        const items: StatsItem[] = message.items.map((item) => ({
          phase: item.phase, stepId: item.stepId, metric: item.metric, sequenceId: item.sequenceId,
          snapshot: Buffer.from(item.snapshot.buffer, item.snapshot.byteOffset, item.snapshot.byteLength).toString('base64'),
        }));
        this.channel.send({ type: 'stats', items });
        return;
      }
      case 'generatorLoad':
        this.channel.send({
          type: 'generatorLoad', phase: message.phase, lateness: base64(message.lateness), loopLag: base64(message.loopLag),
          throttledStarts: message.throttledStarts, droppedStarts: message.droppedStarts,
        });
        return;
      case 'phaseStatsComplete': {
        const progress = this.progress(message.phase, threads);
        progress.statsComplete.add(thread);
        if (progress.statsComplete.size === threads) this.channel.send({ type: 'phaseStatsComplete', phase: message.phase });
        return;
      }
      case 'sessions':
        this.channel.send({ type: 'sessions', timestampMs: message.timestampMs, phases: message.phases });
        return;
      case 'connections':
        this.channel.send({ type: 'connections', timestampMs: message.timestampMs, rows: message.rows });
        return;
      case 'listing': {
        const listing = this.listings.get(message.requestId);
        if (listing === undefined) return;
        listing.lines.push(...message.lines);
        if (++listing.answered < this.workers.length) return;
        this.listings.delete(message.requestId);
        this.channel.send({ type: 'listing', requestId: message.requestId, lines: listing.lines });
        return;
      }
      case 'stopped':
        if (++this.stoppedCount === this.workers.length) {
          this.channel.send({ type: 'stopped' });
          this.shutdown();
        }
    }
  }

  private progress(phase: string, threads: number): PhaseProgress {
    let progress = this.phases.get(phase);
    if (!progress) {
      progress = { statuses: new Array<AgentPhaseStatusName | undefined>(threads).fill(undefined), sessionLimitExceeded: false, statsComplete: new Set() };
      this.phases.set(phase, progress);
    }
    return progress;
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) worker.postMessage(message);
  }

  private fatal(message: string): void {
    if (this.closed) return;
    this.channel.send({ type: 'error', message, fatal: true });
  }

  /** Ends every worker thread and the connection. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const worker of this.workers) void worker.terminate();
    this.channel.close();
    this.resolveDone();
  }
}
