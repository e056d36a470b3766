/**
 * The runs of a controller: starts them (several at once, as Hyperfoil: each with its own agents and statistics),
 * answers for live and stored ones, and persists each when it ends. Runs stored under `<root>/run/<id>/` by an earlier controller are listed too, and numbering goes on
 * after the highest of them. `hyperfoil run`, `standalone`, `controller` and the REST API all use this one class.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from '../config/index.js';
import { containedFile, ensureWritableDir, HyperfoilError, storageError, writeFileAtomic } from '../lib/index.js';
import { histogramResponseJson, requestStatisticsResponse } from '../stats/index.js';
import type { PhaseGeneratorLoadJson, RequestStats } from '../stats/index.js';
import type { Deployer } from './agent-connection.js';
import type { RequestedRun, RequestStatisticsResponse, RunJson, RunService, StartOptions, StoredBenchmark } from './api.js';
import { allocateRunId, isRunId, storedRunIds } from './run-ids.js';
import { Run } from './run.js';
import { checkBenchmarkHooks, hookDirectoryHooks, runHooks } from './hooks.js';
import type { HookEnvironment, HookResult } from './hooks.js';
import { runAllJson, writeRun, writeRunInfo, writeRunStart } from './run-writer.js';
import { journalPath, RunJournal } from './run-journal.js';
import { interruptedMessage, interruptedSince, recoveredRun, recoverRun } from './run-recovery.js';

export type ControllerMode = 'standalone' | 'clustered';

export interface RunManagerOptions {
  readonly rootDir: string;
  readonly deployer: Deployer;
  /** Renders a stored benchmark (a template with its parameters) into a validated Benchmark. */
  readonly render: (stored: StoredBenchmark, params: Readonly<Record<string, string>>) => Benchmark;
  readonly mode: ControllerMode;
  readonly deployTimeoutMs?: number;
  /** Runs the benchmark's own `pre:`/`post:` hooks; without it a benchmark that has some is refused (hooks.ts). */
  readonly allowBenchmarkHooks?: boolean;
  /** See RunOptions.agentResponseTimeoutMs. */
  readonly agentResponseTimeoutMs?: number;
  /** Called when a run has ended and been stored. */
  readonly onRunEnded?: (run: Run) => void;
}

/** Completed runs kept in memory with their statistics; older ones are read back from their files. */
const MAX_IN_MEMORY_RUNS = 20;

/** A JSON file of a run directory; one that is missing, a link leading out, or not JSON reads as undefined. */
function readJson(dir: string, name: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(containedFile(dir, name, 'the run directory'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A run known only from its directory (run by an earlier controller, or evicted from memory). */
function storedRunJson(id: string, dir: string): RunJson {
  const info = readJson(dir, 'info.json') ?? {};
  const number = (value: unknown): number | undefined => (typeof value === 'number' && value >= 0 ? value : undefined);
  const started = number(info.startTime);
  const terminated = number(info.terminateTime);
  const errors = Array.isArray(info.errors) ? info.errors.map((e) => {
    const error = e as { agent?: string; msg?: string };
    return error.agent ? `${error.agent}: ${error.msg ?? ''}` : String(error.msg ?? '');
  }) : [];
  const interruptedMs = interruptedSince(dir);
  if (interruptedMs !== undefined) errors.push(interruptedMessage(interruptedMs));
  return {
    id,
    benchmark: typeof info.benchmark === 'string' ? info.benchmark : '',
    ...(started !== undefined ? { started } : {}),
    ...(terminated !== undefined ? { terminated } : {}),
    cancelled: info.cancelled === true || interruptedMs !== undefined,
    completed: true,
    persisted: existsSync(join(dir, 'all.json')),
    ...(typeof info.description === 'string' && info.description !== '' ? { description: info.description } : {}),
    phases: [],
    agents: [],
    errors,
  };
}

/** `GET /run/{id}/sessions/recent` covers this much time (Hyperfoil's window). */
const RECENT_SESSIONS_MS = 5000;

/** How long agents get to stop when the controller shuts down during a run; then they are cut off. */
export const SHUTDOWN_GRACE_MS = 3000;

export class RunManager implements RunService {
  /** `<root>/run`: one directory per run. */
  readonly runsDir: string;
  private readonly runs = new Map<string, Run>();
  private readonly stored = new Map<string, Promise<void>>();
  /** Runs requested through `triggerUrl`, by id, until a CI job starts them. */
  private readonly requests = new Map<string, RequestedRun>();
  /**
   * Runs whose files are written and post hooks done. Until then a run that has ended is still served as not
   * completed, so that a client which waits for `completed` finds its files (storing is asynchronous).
   */
  private readonly storedIds = new Set<string>();

  constructor(private readonly options: RunManagerOptions) {
    this.runsDir = join(options.rootDir, 'run');
    try {
      ensureWritableDir(this.runsDir);
    } catch (error) {
      throw storageError('store runs', this.runsDir, error);
    }
    this.recoverInterruptedRuns();
  }

  /** Errors of interrupted runs that could not be stored from their journal (they are served from it). */
  readonly recoveryProblems: string[] = [];
  private readonly recoveryTried = new Set<string>();

  private recoverInterruptedRuns(): void {
    for (const id of storedRunIds(this.runsDir)) this.recoverIfInterrupted(id);
  }

  /**
   * Stores a run that an earlier controller left with a journal and no `all.json`, once per id. Also asked when
   * the run is looked up: at start its writer may not be reaped yet (a killed process lingers as a zombie).
   */
  private recoverIfInterrupted(id: string): void {
    const dir = join(this.runsDir, id);
    if (this.runs.has(id) || this.recoveryTried.has(id) || interruptedSince(dir) === undefined) return;
    this.recoveryTried.add(id);
    try {
      recoverRun(id, dir);
    } catch (error) {
      this.recoveryProblems.push((error as Error).message);
    }
  }

  /** Runs that have not ended yet. */
  private active(): Run[] {
    return [...this.runs.values()].filter((run) => !run.completed);
  }

  get busy(): boolean {
    return this.active().length > 0;
  }

  /** Starts a run and returns at once (the REST API answers 202); `runOf(id).finished` tells when it ends. */
  async start(stored: StoredBenchmark, options: StartOptions = {}): Promise<RunJson> {
    return this.startRun(this.options.render(stored, options.params ?? {}), options).toJson();
  }

  /** Reserves the next run id for a run a CI job will start with `start?runId=` (Hyperfoil's trigger flow). */
  request(stored: StoredBenchmark, options: StartOptions = {}): RequestedRun {
    let id: string;
    try {
      id = allocateRunId(this.runsDir);
    } catch (error) {
      throw storageError('create a run directory', this.runsDir, error);
    }
    const requested: RequestedRun = {
      id, benchmark: stored.name,
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.params !== undefined ? { params: options.params } : {}),
    };
    this.requests.set(id, requested);
    return requested;
  }

  requested(id: string): RequestedRun | undefined {
    const resolved = this.resolveId(id);
    return resolved === undefined ? undefined : this.requests.get(resolved);
  }

  /** Starts a run of an already validated benchmark. */
  startRun(benchmark: Benchmark, options: StartOptions = {}): Run {
    if (options.runId !== undefined && !this.requests.has(options.runId)) {
      throw new HyperfoilError('RUN_NOT_REQUESTED', `run ${options.runId} was not requested through a trigger, or has already started`);
    }
    if (this.options.mode === 'standalone' && benchmark.agents.length > 0) {
      throw new HyperfoilError('AGENTS_IN_STANDALONE',
        'Hyperfoil runs in standalone mode but the benchmark defines agents for clustering: remove `agents:` or use a clustered controller');
    }
    if (this.options.mode === 'clustered' && benchmark.agents.length === 0) {
      throw new HyperfoilError('AGENTS_MISSING', 'Hyperfoil controller is clustered but the benchmark does not define any agents: add `agents:`');
    }
    // An agent runs one run at a time (Hyperfoil refuses the same); standalone runs each get their own in-vm agent.
    for (const other of this.active()) {
      const shared = benchmark.agents.find((agent) => other.benchmark.agents.some((a) => a.name === agent.name));
      if (shared !== undefined) {
        throw new HyperfoilError('RUN_IN_PROGRESS', `agent ${shared.name} is in use by run ${other.id}: wait for it or kill it first`);
      }
    }
    checkBenchmarkHooks(benchmark, this.options.allowBenchmarkHooks === true);
    let id: string;
    try {
      id = options.runId ?? allocateRunId(this.runsDir);
    } catch (error) {
      throw storageError('create a run directory', this.runsDir, error);
    }
    if (options.runId !== undefined) this.requests.delete(options.runId);
    const hookResults: HookResult[] = [];
    const env = (): HookEnvironment => ({
      RUN_ID: id,
      RUN_DIR: join(this.runsDir, id),
      RUN_DESCRIPTION: options.description ?? '',
      BENCHMARK: benchmark.name,
      BENCHMARK_PATH: join(this.runsDir, id, `${benchmark.name}.yaml`),
    });
    const run = new Run({
      id,
      benchmark,
      deployer: this.options.deployer,
      onStats: (agent, items) => journal.stats(agent, items),
      beforePhases: () => runHooks([...hookDirectoryHooks(this.options.rootDir, 'pre'), ...benchmark.pre], env(), hookResults),
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(this.options.deployTimeoutMs !== undefined ? { deployTimeoutMs: this.options.deployTimeoutMs } : {}),
      ...(this.options.agentResponseTimeoutMs !== undefined ? { agentResponseTimeoutMs: this.options.agentResponseTimeoutMs } : {}),
    });
    const journal = this.openJournal(run);
    this.runs.set(id, run);
    this.stored.set(id, run.execute().then(() => this.ended(run, journal, env(), hookResults)));
    return run;
  }

  /** Resolves once the run has ended and its directory is written. */
  async whenStored(id: string): Promise<void> {
    const resolved = this.resolveId(id);
    if (resolved !== undefined) await this.stored.get(resolved);
  }

  runOf(id: string): Run | undefined {
    return this.live(id);
  }

  list(): RunJson[] {
    const ids = new Set([...storedRunIds(this.runsDir), ...this.runs.keys()]);
    return [...ids].sort().map((id) => this.get(id)).filter((r): r is RunJson => r !== undefined);
  }

  get(id: string): RunJson | undefined {
    const run = this.live(id);
    if (run) {
      const json = run.toJson();
      return json.completed && !this.storedIds.has(run.id) ? { ...json, completed: false } : json;
    }
    const requested = this.requested(id);
    if (requested !== undefined) {
      return {
        id: requested.id, benchmark: requested.benchmark, cancelled: false, completed: false, persisted: false,
        ...(requested.description !== undefined ? { description: requested.description } : {}), phases: [], agents: [], errors: [],
      };
    }
    const dir = this.runDir(id);
    if (dir === undefined) return undefined;
    const resolved = this.resolveId(id)!;
    this.recoverIfInterrupted(resolved);
    return storedRunJson(resolved, dir);
  }

  kill(id: string): boolean {
    const run = this.live(id);
    if (!run) return this.get(id) !== undefined;
    run.kill('killed by the user');
    return true;
  }

  statsRecent(id: string): RequestStatisticsResponse | undefined {
    const run = this.live(id);
    if (run) return requestStatisticsResponse(statusOf(run), run.store.recent(Date.now()));
    return this.storedTotals(id);
  }

  statsTotal(id: string): RequestStatisticsResponse | undefined {
    const run = this.live(id);
    if (run) return requestStatisticsResponse(statusOf(run), run.store.total());
    return this.storedTotals(id);
  }

  allJson(id: string): unknown {
    const run = this.live(id);
    if (run && !run.completed) return undefined;
    if (run) return runAllJson(run);
    const dir = this.runDir(id);
    if (dir === undefined) return undefined;
    const resolved = this.resolveId(id)!;
    this.recoverIfInterrupted(resolved);
    return readJson(dir, 'all.json') ?? (interruptedSince(dir) !== undefined ? recoveredRun(resolved, dir)?.all : undefined);
  }

  /** The run's `stats/` files; entries that are not regular files inside the run directory are left out. */
  statsFiles(id: string): ReadonlyMap<string, Buffer> | undefined {
    const run = this.live(id);
    if (run && !run.completed) return undefined;
    const runDir = this.runDir(id);
    if (runDir === undefined || !isDirectory(join(runDir, 'stats'))) return undefined;
    const files = new Map<string, Buffer>();
    for (const name of readdirSync(join(runDir, 'stats'))) {
      try {
        files.set(name, readFileSync(containedFile(runDir, join('stats', name), `run ${id}'s directory`)));
      } catch {
        // a directory, a link leading out, or gone: not a statistics file
      }
    }
    return files;
  }

  histogram(id: string, phase: string, stepId: number, metric: string, agent?: string): unknown {
    const data = this.live(id)?.store.get(phase, stepId, metric);
    const snapshot = agent === undefined ? data?.total : data?.perAgent.get(agent);
    return data && snapshot ? [histogramResponseJson(phase, metric, snapshot)] : undefined;
  }

  generatorLoad(id: string): readonly PhaseGeneratorLoadJson[] | undefined {
    const run = this.live(id);
    if (run) return run.generator.summaries();
    const generator = (this.allJson(id) as { generator?: { phases?: PhaseGeneratorLoadJson[] } } | undefined)?.generator;
    return Array.isArray(generator?.phases) ? generator.phases : undefined;
  }

  series(id: string, phase: string, stepId: number, metric: string): unknown {
    const data = this.live(id)?.store.get(phase, stepId, metric);
    return data ? data.series : undefined;
  }

  /**
   * Min/max of active sessions per phase and agent: over the whole run (`total`), or the last 5 seconds (`recent`,
   * empty once the run has ended, as Hyperfoil answers). A stored run has no session records: empty.
   */
  sessions(id: string, which: 'recent' | 'total'): unknown {
    const run = this.live(id);
    if (!run) return this.get(id) === undefined ? undefined : {};
    const out: Record<string, Record<string, { min: number; max: number }>> = {};
    if (which === 'recent' && run.completed) return out;
    const sinceMs = Date.now() - RECENT_SESSIONS_MS;
    for (const phase of run.store.sessions.phases()) {
      const byAgent: Record<string, { min: number; max: number }> = {};
      for (const [agent, records] of run.store.sessions.records(phase)) {
        const relevant = which === 'recent' ? records.filter((r) => r.timestampMs >= sinceMs) : records;
        if (relevant.length === 0) continue;
        byAgent[agent] = { min: Math.min(...relevant.map((r) => r.min)), max: Math.max(...relevant.map((r) => r.max)) };
      }
      out[phase] = byAgent;
    }
    return out;
  }

  /** `GET /run/{id}/sessions`: the agents' sessions as text (`inactive`: the idle ones too); empty for an ended run. */
  async listSessions(id: string, inactive: boolean): Promise<string> {
    return (await this.live(id)?.list('sessions', inactive)) ?? '';
  }

  /** `GET /run/{id}/connections`: the agents' connections as text; empty for an ended run. */
  async listConnections(id: string): Promise<string> {
    return (await this.live(id)?.list('connections', false)) ?? '';
  }

  /** CPU use per phase and agent of a run in memory (stored runs: from all.json). */
  agentCpu(id: string): Record<string, Record<string, string>> | undefined {
    return this.live(id)?.agentCpu;
  }

  connections(id: string, which: 'recent' | 'total'): unknown {
    const run = this.live(id);
    if (run) return run.connections.summary(which);
    return this.get(id) === undefined ? undefined : {};
  }

  /** The run's directory when it exists; undefined for an id that is not a run id (nothing on disk is touched). */
  runDir(id: string): string | undefined {
    const resolved = this.resolveId(id);
    if (resolved === undefined) return undefined;
    const dir = join(this.runsDir, resolved);
    return isRealDirectory(dir) ? dir : undefined; // a symbolic link planted as a run directory is not a run
  }

  agents(): string[] {
    const names = new Set<string>();
    for (const run of this.runs.values()) for (const agent of run.toJson().agents) names.add(agent.name);
    return [...names].sort();
  }

  /** Kills the runs still going and waits until they have ended. */
  async shutdown(): Promise<void> {
    const active = this.active();
    for (const run of active) run.kill('the controller is shutting down', SHUTDOWN_GRACE_MS);
    await Promise.all(active.map((run) => run.finished));
  }

  /** Writes the run's first files and opens its statistics journal; a failure removes the run's directory. */
  private openJournal(run: Run): RunJournal {
    const dir = join(this.runsDir, run.id);
    try {
      writeRunStart(run, dir);
      const warmupPhases = run.benchmark.phases.filter((p) => p.isWarmup).map((p) => p.name);
      return new RunJournal(journalPath(dir), {
        id: run.id, benchmark: run.benchmark.name, params: run.benchmark.params,
        ...(run.description !== undefined ? { description: run.description } : {}),
        periodMs: run.store.periodMs, warmupPhases,
      });
    } catch (error) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a read-only disk keeps the empty directory; it is not listed as persisted
      }
      throw storageError(`store run ${run.id}`, dir, error);
    }
  }

  /** Stores the ended run; a storage failure becomes one of the run's errors (the controller goes on). */
  private async ended(run: Run, journal: RunJournal, env: HookEnvironment, hookResults: HookResult[]): Promise<void> {
    const dir = join(this.runsDir, run.id);
    await journal.close();
    try {
      writeRun(run, dir);
      journal.remove();
    } catch (error) {
      run.errors.push({ message: (error as Error).message });
    }
    try {
      await runHooks([...hookDirectoryHooks(this.options.rootDir, 'post'), ...run.benchmark.post], env, hookResults);
    } catch (error) {
      run.errors.push({ message: (error as Error).message });
      if (run.persisted) this.tryStore(run, () => writeRunInfo(run, dir));
    }
    if (run.persisted) this.tryStore(run, () => writeFileAtomic(join(dir, 'hooks.json'), `${JSON.stringify(hookResults, null, 2)}\n`));
    this.storedIds.add(run.id);
    this.evict();
    this.options.onRunEnded?.(run);
  }

  private tryStore(run: Run, write: () => void): void {
    try {
      write();
    } catch (error) {
      run.errors.push({ message: storageError(`store run ${run.id}`, join(this.runsDir, run.id), error).message });
    }
  }

  private evict(): void {
    const completed = [...this.runs.values()].filter((r) => r.completed);
    for (const run of completed.slice(0, Math.max(0, completed.length - MAX_IN_MEMORY_RUNS))) {
      this.runs.delete(run.id);
      this.storedIds.delete(run.id);
    }
  }

  /** `last` → the highest run id; an id that is not 4 upper-case hex digits → undefined. */
  private resolveId(id: string): string | undefined {
    if (id === 'last') return [...new Set([...storedRunIds(this.runsDir), ...this.runs.keys()])].sort().at(-1);
    return isRunId(id) ? id : undefined;
  }

  private live(id: string): Run | undefined {
    const resolved = this.resolveId(id);
    return resolved === undefined ? undefined : this.runs.get(resolved);
  }

  private storedTotals(id: string): RequestStatisticsResponse | undefined {
    const all = this.allJson(id) as { stats?: Array<Record<string, unknown>> } | undefined;
    if (!all) return this.get(id) ? requestStatisticsResponse('TERMINATED', []) : undefined;
    const statistics = (all.stats ?? []).map((entry): RequestStats => ({
      phase: String(entry.name ?? entry.phase ?? ''),
      stepId: 0,
      metric: String(entry.metric ?? ''),
      summary: (entry.total as { summary: RequestStats['summary'] }).summary,
      failedSLAs: [],
      isWarmup: entry.isWarmup === true,
    }));
    return requestStatisticsResponse('TERMINATED', statistics);
  }
}

function statusOf(run: Run): 'RUNNING' | 'TERMINATED' | 'INITIALIZING' {
  if (run.completed) return 'TERMINATED';
  return run.startedMs === undefined ? 'INITIALIZING' : 'RUNNING';
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
