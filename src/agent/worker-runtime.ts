/**
 * One worker of an agent: parses the benchmark, takes its thread's share, opens the connection pools, compiles
 * the scenarios into an `EngineWorker`, obeys phase commands and sends statistics once per collection period.
 * It runs inside a worker thread (see worker-main.ts); it talks only through `post`, so tests can host it directly.
 */
import { parseBenchmark } from '../config/index.js';
import type { Benchmark, HttpTarget, SlaSpec } from '../config/index.js';
import { EngineWorker, Services, WORKER_DATA, WorkerData } from '../engine/index.js';
import { loadCompiledExtensions } from '../extensions/index.js';
import type { PhaseStatusEvent, WorkerIdentity } from '../engine/index.js';
import { poolForTarget } from '../http/index.js';
import type { HttpConnectionPool } from '../http/index.js';
import { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from '../http/steps/index.js';
import { agentShare, threadShare } from '../plan/index.js';
import { encodeSnapshot, StatsRecorderRegistry } from '../stats/index.js';
import type { DrainedRecorderBucket } from '../stats/index.js';
import { GeneratorMonitor } from './generator-monitor.js';
import { describeSession } from './listings.js';
import type { FromWorker, ToWorker, WorkerInit, WorkerStatsItem } from './worker-messages.js';

const OPEN_MODELS: ReadonlySet<string> = new Set(['constantRate', 'increasingRate', 'decreasingRate']);
/** How often a load thread sends the statistics buckets that have closed since (see the drain timer). */
const CLOSED_BUCKET_DRAIN_MS = 100;
/**
 * A bucket is sent once it has been closed this long: responses to requests started just before its end (recorded
 * in it) mostly arrive by then, so it is not re-sent for them.
 */
const CLOSED_BUCKET_GRACE_MS = 50;

function decodeFiles(files: Readonly<Record<string, string>>): (name: string) => Buffer | undefined {
  return (name) => (Object.hasOwn(files, name) ? Buffer.from(files[name] as string, 'base64') : undefined);
}

function openPools(targets: readonly HttpTarget[], benchmark: Benchmark): Map<HttpTarget, HttpConnectionPool> {
  const read = (file: string): Buffer => {
    const content = benchmark.files.get(file);
    if (!content) throw new Error(`data file ${file} was not shipped with the benchmark`);
    return content;
  };
  return new Map(targets.map((target) => [target, poolForTarget(target, read)]));
}

function startPool(pool: HttpConnectionPool): Promise<void> {
  return new Promise((resolve, reject) => pool.start((error) => (error ? reject(error) : resolve())));
}

export class WorkerRuntime {
  private engine?: EngineWorker;
  private pools = new Map<HttpTarget, HttpConnectionPool>();
  /** What the steps of this thread share, `publishGlobalCounters` sums included. */
  private readonly workerData = new WorkerData();
  private recorders?: StatsRecorderRegistry;
  /** Lateness of scheduled starts and event-loop lag per phase (failed sessions are in the phase status). */
  private monitor?: GeneratorMonitor;
  private timer?: NodeJS.Timeout;
  private drainTimer?: NodeJS.Timeout;
  private readonly phaseIds = new Map<string, number>();
  private stopped = false;

  constructor(private readonly init: WorkerInit, private readonly post: (message: FromWorker) => void) {}

  /** Prepares everything; posts `ready`, or `failed` with a message for the user. */
  async start(): Promise<void> {
    const { init } = this;
    try {
      await loadCompiledExtensions(init.extensionFiles ?? []);
      const benchmark = parseBenchmark(init.benchmark.text, {
        fileName: init.benchmark.fileName, params: init.benchmark.params, files: decodeFiles(init.benchmark.files),
      });
      const share = threadShare(agentShare(benchmark, init.agentIndex), init.threadIndex);
      const agents = init.agentThreads.length;
      const globalThreadId = init.agentThreads.slice(0, init.agentIndex).reduce((a, b) => a + b, 0) + init.threadIndex;
      const identity: WorkerIdentity = {
        runId: init.runId,
        agentId: init.agentIndex,
        agents,
        agentThreadId: init.threadIndex,
        agentThreads: init.agentThreads[init.agentIndex] ?? 1,
        globalThreadId,
        globalThreads: init.agentThreads.reduce((a, b) => a + b, 0),
      };
      this.recorders = new StatsRecorderRegistry(benchmark.statisticsCollectionPeriodMs);
      this.pools = openPools(share.http, benchmark);
      const stepSlas = new Map<number, readonly SlaSpec[]>();
      const pools = this.pools;
      const services = new Services()
        .set(HTTP_POOLS, {
          of(target) {
            const pool = pools.get(target) ?? [...pools].find(([t]) => t.authority === target.authority && t.name === target.name)?.[1];
            if (!pool) throw new Error(`no connection pool for ${target.authority}`);
            return pool;
          },
        })
        .set(STATS_RECORDERS, this.recorders)
        .set(STEP_SLAS, stepSlas)
        .set(WORKER_DATA, this.workerData);
      for (const phase of share.phases) this.phaseIds.set(phase.name, phase.id);
      this.monitor = new GeneratorMonitor(share.phases.map((p) => ({ id: p.id, open: OPEN_MODELS.has(p.model.type) })));
      this.engine = new EngineWorker({
        benchmark: { phases: share.phases, ergonomics: benchmark.ergonomics, http: share.http, files: benchmark.files },
        identity,
        onStatus: (event) => this.onStatus(event),
        stats: this.monitor,
        services,
      });
      await Promise.all([...this.pools.values()].map(startPool));
      const periodMs = benchmark.statisticsCollectionPeriodMs;
      this.timer = setInterval(() => this.flush(CLOSED_BUCKET_GRACE_MS), periodMs);
      // Closed buckets leave within CLOSED_BUCKET_DRAIN_MS of closing, not up to a period later: live progress and
      // stats/recent show a second as soon as it is over. The period's timer is not aligned to phase starts.
      this.drainTimer = setInterval(() => this.drainClosedBuckets(), Math.min(periodMs, CLOSED_BUCKET_DRAIN_MS));
      this.post({ type: 'ready', warnings: this.engine.warnings, stepSlas: Object.fromEntries(stepSlas) });
    } catch (error) {
      this.shutdownResources();
      this.post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  handle(message: ToWorker): void {
    if (message.type === 'stop') {
      this.stop();
      return;
    }
    if (message.type === 'list') {
      const lines = message.what === 'sessions' ? this.listSessions(message.inactive) : this.listConnections();
      this.post({ type: 'listing', requestId: message.requestId, lines });
      return;
    }
    try {
      this.engine?.command(message.phase, message.command);
    } catch (error) {
      this.post({
        type: 'phaseStatus', phase: message.phase, status: 'TERMINATED', sessionLimitExceeded: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.flush(0);
    this.shutdownResources();
    this.post({ type: 'stopped' });
  }

  /** One line per session of this thread (`inactive`: the idle ones too), for `GET /run/{id}/sessions`. */
  private listSessions(inactive: boolean): string[] {
    const engine = this.engine;
    if (!engine) return [];
    const thread = `thread ${this.init.threadIndex}`;
    return engine.phaseNames.flatMap((phase) => engine.sessionsOf(phase)
      .filter((session) => inactive || session.isRunning)
      .map((session) => describeSession(session, phase, thread)));
  }

  /** One line per connection of this thread's pools, for `GET /run/{id}/connections`. */
  private listConnections(): string[] {
    const thread = `thread ${this.init.threadIndex}`;
    return [...this.pools.values()].flatMap((pool) => pool.describeConnections().map((line) => `${thread}: ${line}`));
  }

  private shutdownResources(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.monitor?.close();
    this.engine?.close();
    for (const pool of this.pools.values()) pool.shutdown();
  }

  private onStatus(event: PhaseStatusEvent): void {
    const recorders = this.recorders;
    if (event.status === 'TERMINATING' || event.status === 'NOT_STARTED') return;
    if (event.status === 'RUNNING' && recorders) {
      recorders.startPhase(event.phaseId, Date.now());
    }
    if (event.status === 'RUNNING') this.monitor?.phaseRunning(event.phaseId);
    const globalCounters = event.status === 'TERMINATED' ? this.workerData.takeGlobalCounters(event.phase) : undefined;
    this.post({
      type: 'phaseStatus',
      phase: event.phase,
      status: event.status,
      sessionLimitExceeded: event.sessionLimitExceeded,
      ...(event.error !== undefined ? { error: event.error } : {}),
      ...(globalCounters !== undefined ? { globalCounters } : {}),
    });
    if (event.status === 'TERMINATED' && recorders) {
      recorders.endPhase(event.phaseId, Date.now());
      this.postStats(recorders.drainPhase(event.phaseId));
      const load = this.monitor?.take(event.phaseId);
      if (load !== undefined) this.post({ type: 'generatorLoad', phase: event.phase, ...load });
      this.post({ type: 'phaseStatsComplete', phase: event.phase });
    }
  }

  /** Sends the closed statistics buckets and the session ranges of the period. */
  private drainClosedBuckets(): void {
    if (this.recorders && this.engine) this.postStats(this.recorders.drainClosed(Date.now() - CLOSED_BUCKET_GRACE_MS));
  }

  /**
   * Sends the period's connection and session figures, and the buckets closed at least `graceMs` ago: the periodic
   * flush keeps the drain's grace (a bucket sent at once is sent again when a late response lands in it); the last
   * one, at stop, sends everything.
   */
  private flush(graceMs: number): void {
    const recorders = this.recorders;
    const engine = this.engine;
    if (!recorders || !engine) return;
    const now = Date.now();
    this.postStats(recorders.drainClosed(now - graceMs));
    const rows = [...this.pools.values()].flatMap((pool) => pool.stats.sampleAndReset())
      .map(({ authority, type, min, max }) => ({ authority, type, min, max }));
    if (rows.length > 0) this.post({ type: 'connections', timestampMs: now, rows });
    const ranges = engine.takeSessionRanges();
    if (ranges.length > 0) {
      this.post({ type: 'sessions', timestampMs: now, phases: Object.fromEntries(ranges.map((r) => [r.phase, { min: r.min, max: r.max }])) });
    }
  }

  private postStats(buckets: readonly DrainedRecorderBucket[]): void {
    if (buckets.length === 0 || !this.recorders) return;
    const items: WorkerStatsItem[] = buckets.map(({ recorder, sequenceId, snapshot }) => ({
      phase: recorder.phaseName,
      stepId: recorder.stepId,
      metric: recorder.metric,
      sequenceId,
      snapshot: encodeSnapshot(snapshot, { compress: false }),
    }));
    for (const bucket of buckets) this.recorders.release(bucket.snapshot);
    this.post({ type: 'stats', items });
  }
}
