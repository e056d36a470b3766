/**
 * One run, driven by the controller: deploy the agents, hand each its share, order the phases for the whole
 * cluster, gather and merge the agents' statistics, check SLAs, and persist the result. The same code serves
 * standalone, `hyperfoil run` (one in-process agent) and clustered runs (agents over WebSocket).
 */
import type { Benchmark, Phase, SlaSpec } from '../config/index.js';
import { describeModel } from '../config/describe.js';
import { formatDurationMs, HyperfoilError } from '../lib/index.js';
import { addCounters, nameRecord, ProtocolError } from '../protocol/index.js';
import type { AgentMessage, BenchmarkSource, ListingKind, StatsItem } from '../protocol/index.js';
import { GeneratorLoad, StatisticsStore } from '../stats/index.js';
import type { SlaResolver } from '../stats/index.js';
import type { AgentConnection, Deployer } from './agent-connection.js';
import { ConnectionStats } from './connection-stats.js';
import type { AgentJson, PhaseJson, RunJson } from './api.js';
import { createOrchestrator, isTerminated } from './orchestrator.js';
import type { Orchestrator, PhaseCommand, PhaseState } from './orchestrator.js';
import { PendingListings } from './pending-listings.js';

export type AgentStatus = 'STARTING' | 'REGISTERED' | 'READY' | 'STOPPING' | 'STOPPED' | 'FAILED';

export interface RunOptions {
  readonly id: string;
  readonly benchmark: Benchmark;
  readonly description?: string;
  readonly deployer: Deployer;
  readonly deployTimeoutMs?: number;
  /** How often the phase state machine is stepped. */
  readonly tickMs?: number;
  /** How long agents get to confirm `stop` before they are closed. */
  readonly stopTimeoutMs?: number;
  /**
   * How long an agent has to obey a command it must act on at once (RUN, FINISH, TERMINATE: a kill sends TERMINATE)
   * and to send a terminated phase's statistics; past it the agent is declared failed, the others are stopped and
   * the run ends with what was measured. Default DEFAULT_AGENT_RESPONSE_TIMEOUT_MS. With `stopTimeoutMs`, this
   * bounds how long a killed run takes to end, whatever its agents do.
   */
  readonly agentResponseTimeoutMs?: number;
  readonly clock?: () => number;
  /** Each agent statistics message as it arrives, before it is merged (the run's journal). */
  readonly onStats?: (agent: string, items: readonly StatsItem[]) => void;
  /** Runs once every agent is ready and before the first phase (pre hooks); a rejection fails the run. */
  readonly beforePhases?: () => Promise<void>;
}

interface AgentState {
  readonly name: string;
  connection?: AgentConnection;
  status: AgentStatus;
  /** Phases whose statistics this agent has sent completely. */
  readonly statsComplete: Set<string>;
  /** Non-fatal errors it reported. */
  errorCount: number;
  /**
   * When this agent started each phase, on the agent's clock (its `RUNNING` status); the clock offset, refined as the
   * run goes, is subtracted when the skew is computed.
   */
  readonly phaseStartAgentMs: Map<string, number>;
}

export const DEFAULT_AGENT_RESPONSE_TIMEOUT_MS = 15_000;
/** Non-fatal errors kept per agent; an agent repeating itself cannot grow the run without bound. */
const MAX_ERRORS_PER_AGENT = 100;
/**
 * Statistics series (phase, step, metric) a run accepts. Each costs about 90 KB (its histograms), so this bounds
 * what agents can make the controller hold to about 360 MB, far above real benchmarks (phases × request steps).
 */
const MAX_SERIES_PER_RUN = 4096;
/** Connection-pool (authority, type) pairs a run accepts: each becomes a CSV file of the run. */
const MAX_CONNECTION_KINDS_PER_RUN = 1024;

/** Adds `keys` to `known`, or throws (adding none) when that would make more than `max`; `problem` says MAX for it. */
function admitKeys(known: Set<string>, keys: readonly string[], max: number, problem: string): void {
  const fresh = new Set(keys.filter((key) => !known.has(key)));
  if (known.size + fresh.size > max) throw new ProtocolError(problem.replace('MAX', String(max)));
  for (const key of fresh) known.add(key);
}

export interface RunError {
  readonly agent?: string;
  readonly message: string;
}

/** The agents of a run: those the benchmark declares, or the single in-process agent `in-vm`. */
export function runAgents(benchmark: Benchmark): Array<{ name: string; properties: Readonly<Record<string, string>>; threads: number }> {
  if (benchmark.agents.length > 0) return benchmark.agents.map((a) => ({ name: a.name, properties: a.properties, threads: a.threads }));
  return [{ name: 'in-vm', properties: {}, threads: benchmark.threads }];
}

export function benchmarkSource(benchmark: Benchmark): BenchmarkSource {
  return {
    fileName: benchmark.source.fileName,
    text: benchmark.source.text,
    params: benchmark.params,
    files: Object.fromEntries([...benchmark.files].map(([name, content]) => [name, content.toString('base64')])),
  };
}

export class Run {
  readonly id: string;
  readonly benchmark: Benchmark;
  readonly description?: string;
  readonly store: StatisticsStore;
  readonly errors: RunError[] = [];
  readonly connections = new ConnectionStats();
  /** Whether the load generator kept up, per phase (lateness of scheduled starts, event-loop lag). */
  readonly generator = new GeneratorLoad();
  /** CPU use per phase and agent, as the agents reported it with TERMINATED (`agentCpu`). */
  readonly agentCpu: Record<string, Record<string, string>> = nameRecord();
  /** `publishGlobalCounters` of every agent, summed: key → counter → sum (all.json `globalCounters`). */
  readonly globalCounters: Record<string, Record<string, number>> = nameRecord();
  startedMs?: number;
  terminatedMs?: number;
  cancelled = false;
  completed = false;
  persisted = false;
  private orchestrator?: Orchestrator;
  private readonly agents = new Map<string, AgentState>();
  private readonly stepSlas = new Map<number, readonly SlaSpec[]>();
  private readonly clock: () => number;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private ticker?: NodeJS.Timeout;
  private killRequested = false;
  private readonly statsCompletedPhases = new Set<string>();
  /** The statistics series and connection (authority, type) pairs agents have sent, to cap their number. */
  private readonly series = new Set<string>();
  private readonly connectionKinds = new Set<string>();
  private readonly phaseNames: ReadonlySet<string>;
  private readonly deployAbort = new AbortController();
  private readonly listings = new PendingListings();

  constructor(private readonly options: RunOptions) {
    this.id = options.id;
    this.benchmark = options.benchmark;
    if (options.description !== undefined) this.description = options.description;
    this.clock = options.clock ?? Date.now;
    const phases = new Map(options.benchmark.phases.map((p) => [p.name, p]));
    this.phaseNames = new Set(phases.keys());
    this.store = new StatisticsStore({
      periodMs: options.benchmark.statisticsCollectionPeriodMs,
      isWarmup: (phase) => phases.get(phase)?.isWarmup ?? false,
      slas: this.slaResolver(phases),
    });
    for (const agent of runAgents(options.benchmark)) {
      this.agents.set(agent.name, { name: agent.name, status: 'STARTING', statsComplete: new Set(), phaseStartAgentMs: new Map(), errorCount: 0 });
    }
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  /** Resolves when the run has ended (completed, killed or failed); never rejects: failures land in `errors`. */
  get finished(): Promise<void> {
    return this.done;
  }

  get phases(): readonly PhaseState[] {
    return this.orchestrator ? [...this.orchestrator.states.values()] : [];
  }

  /** Deploys, runs every phase and stops the agents. Call once; await `finished` for the end. */
  async execute(): Promise<void> {
    try {
      await this.deployAndInitialize();
      await this.options.beforePhases?.();
      if (this.killRequested) throw new HyperfoilError('RUN_KILLED', 'the run was killed before it started');
      this.runPhases();
      await this.untilPhasesDone();
    } catch (error) {
      // A kill is not an error, and an agent's failure is already recorded under its name.
      if (!(error instanceof HyperfoilError && (error.code === 'RUN_KILLED' || error.code === 'AGENT_FAILED'))) {
        this.errors.push({ message: error instanceof Error ? error.message : String(error) });
      }
      this.cancelled ||= this.killRequested;
    } finally {
      if (this.ticker) clearInterval(this.ticker);
      await this.stopAgents();
      this.terminatedMs = this.clock();
      this.completed = true;
      this.resolveDone();
    }
  }

  /**
   * Stops the run: phases not started are cancelled, running ones terminated; what was measured is kept. Agents
   * that have not confirmed within `graceMs` (default: the agent response timeout) are declared failed, so the run
   * always ends.
   */
  kill(reason?: string, graceMs?: number): void {
    if (this.completed) return;
    if (graceMs !== undefined) {
      setTimeout(() => {
        for (const agent of this.agents.values()) this.failAgent(agent, `did not stop within ${formatDurationMs(graceMs)} of the kill`);
      }, graceMs).unref();
    }
    this.killRequested = true;
    this.cancelled = true;
    if (reason) this.errors.push({ message: reason });
    this.deployAbort.abort();
    if (this.orchestrator) this.sendCommands(this.orchestrator.abort(this.clock()));
    else this.onInitFailed(new HyperfoilError('RUN_KILLED', 'the run was killed before it started'));
    this.checkDone();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private async deployAndInitialize(): Promise<void> {
    const timeoutMs = this.options.deployTimeoutMs ?? 60_000;
    const connections = await this.options.deployer.deploy({
      runId: this.id, agents: runAgents(this.benchmark), timeoutMs, signal: this.deployAbort.signal,
    });
    if (this.killRequested) {
      for (const connection of connections) connection.close('the run was killed');
      throw new HyperfoilError('RUN_KILLED', 'the run was killed before it started');
    }
    const source = benchmarkSource(this.benchmark);
    const agentThreads = runAgents(this.benchmark).map((a) => a.threads);
    const extensions = (this.options.deployer.extensions ?? []).map(({ name, sha256 }) => ({ name, sha256 }));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = [...this.agents.values()].filter((a) => a.status !== 'READY').map((a) => a.name);
        reject(new HyperfoilError('AGENTS_NOT_READY', `agent${late.length > 1 ? 's' : ''} ${late.join(', ')} did not become ready within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onAllReady = () => { clearTimeout(timer); resolve(); };
      this.onInitFailed = (error) => { clearTimeout(timer); reject(error); };
    });
    connections.forEach((connection, agentIndex) => {
      const agent = this.agents.get(connection.name);
      if (!agent) {
        connection.close();
        return;
      }
      agent.connection = connection;
      agent.status = 'REGISTERED';
      connection.onMessage((message) => this.receive(agent, message));
      connection.onClose((reason) => this.agentLost(agent, reason));
      connection.send({
        type: 'init', runId: this.id, agentName: agent.name, agentIndex, agentThreads, benchmark: source,
        ...(extensions.length > 0 ? { extensions } : {}),
      });
    });
    await ready;
  }

  private onAllReady: () => void = () => {};
  private onInitFailed: (error: Error) => void = () => {};

  private runPhases(): void {
    const runStartMs = this.clock();
    this.startedMs = runStartMs;
    this.orchestrator = createOrchestrator({
      phases: this.benchmark.phases,
      agents: [...this.agents.keys()],
      failurePolicy: this.benchmark.failurePolicy,
      runStartMs,
    });
    const tick = (): void => {
      if (!this.orchestrator) return;
      this.sendCommands(this.orchestrator.step(this.clock()));
      this.failOverdueAgents();
      this.checkDone();
    };
    this.ticker = setInterval(tick, this.options.tickMs ?? 50);
    tick();
  }

  private phasesDone: () => void = () => {};

  private untilPhasesDone(): Promise<void> {
    return new Promise((resolve) => {
      this.phasesDone = resolve;
      this.checkDone();
    });
  }

  /** Every phase terminated (or cancelled) and every started phase's statistics are in. */
  private checkDone(): void {
    const orchestrator = this.orchestrator;
    if (!orchestrator) {
      if (this.killRequested) this.phasesDone();
      return;
    }
    if (!orchestrator.complete) return;
    const waiting = [...orchestrator.states.values()].some((s) => s.startedAtMs !== undefined && !this.statsCompletedPhases.has(s.phase.name));
    if (!waiting) this.phasesDone();
  }

  private sendCommands(commands: ReadonlyArray<{ phase: string; command: PhaseCommand }>): void {
    for (const { phase, command } of commands) {
      for (const agent of this.agents.values()) {
        if (agent.status !== 'FAILED') agent.connection?.send({ type: 'phase', phase, command });
      }
    }
  }

  /** Every message of an agent: one that does not fit the run, or that cannot be used, fails that agent only. */
  private receive(agent: AgentState, message: AgentMessage): void {
    if (agent.status === 'FAILED' || this.completed) return;
    try {
      this.checkAgainstRun(agent, message);
      this.handle(agent, message);
    } catch (error) {
      this.failAgent(agent, `sent an invalid message: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** What the protocol module cannot know: the run's phases, the message order, the statistics periods so far. */
  private checkAgainstRun(agent: AgentState, message: AgentMessage): void {
    const started = (phase: string, what: string): PhaseState => {
      if (!this.orchestrator) throw new ProtocolError(`${what} was sent before any phase started`);
      const state = this.orchestrator.states.get(phase);
      if (!state) throw new ProtocolError(`${what} names phase \`${phase.slice(0, 80)}\`, which this run does not have`);
      if (state.startedAtMs === undefined) throw new ProtocolError(`${what} is about phase ${phase}, which has not been started`);
      return state;
    };
    switch (message.type) {
      case 'hello':
        throw new ProtocolError('`hello` was sent twice');
      case 'ready':
        if (agent.status === 'READY') throw new ProtocolError('`ready` was sent twice');
        return;
      case 'stopped':
        if (agent.status !== 'STOPPING') throw new ProtocolError('`stopped` was sent before the controller asked the agent to stop');
        return;
      case 'phaseStatus':
      case 'phaseStatsComplete':
      case 'generatorLoad':
        started(message.phase, `\`${message.type}\``);
        return;
      case 'stats': {
        const nowMs = this.clock();
        for (const item of message.items) {
          const state = started(item.phase, '`stats`');
          // Sequence ids count statistics periods since the agent started the phase, after the controller's RUN.
          const maxSequenceId = Math.ceil((nowMs - (state.startedAtMs ?? nowMs)) / this.store.periodMs) + 10;
          if (item.sequenceId > maxSequenceId) {
            throw new ProtocolError(`\`stats\` for period ${item.sequenceId} of phase ${item.phase}, which has run for only ${maxSequenceId - 10} periods`);
          }
        }
        admitKeys(this.series, message.items.map((i) => `${i.phase}\u0000${i.stepId}\u0000${i.metric}`), MAX_SERIES_PER_RUN,
          '`stats` would make more than MAX statistics series (phase, step, metric)');
        return;
      }
      case 'connections':
        admitKeys(this.connectionKinds, message.rows.map((r) => `${r.authority}\u0000${r.type}`), MAX_CONNECTION_KINDS_PER_RUN,
          '`connections` would make more than MAX (authority, type) pairs');
        return;
      case 'sessions':
        for (const phase of Object.keys(message.phases)) {
          if (!this.phaseNames.has(phase)) {
            throw new ProtocolError(`\`sessions\` names phase \`${phase.slice(0, 80)}\`, which this run does not have`);
          }
        }
        return;
      default:
        return;
    }
  }

  private handle(agent: AgentState, message: AgentMessage): void {
    const now = this.clock();
    switch (message.type) {
      case 'ready':
        if (agent.status !== 'REGISTERED') return; // the run is already stopping
        agent.status = 'READY';
        for (const [stepId, slas] of Object.entries(message.stepSlas)) this.stepSlas.set(Number(stepId), slas);
        if ([...this.agents.values()].every((a) => a.status === 'READY')) this.onAllReady();
        return;
      case 'phaseStatus': {
        const orchestrator = this.orchestrator;
        if (!orchestrator) return;
        if (message.status === 'RUNNING' && message.agentTimeMs !== undefined && !agent.phaseStartAgentMs.has(message.phase)) {
          agent.phaseStartAgentMs.set(message.phase, message.agentTimeMs);
        }
        const state = orchestrator.states.get(message.phase);
        if (message.sessionLimitExceeded && state && !state.failed) {
          this.store.addFailure(message.phase, null, 'Exceeded session limit', state.startedAtMs ?? now, now);
          orchestrator.fail(message.phase);
        }
        if (message.error !== undefined && state && !state.failed) {
          this.errors.push({ agent: agent.name, message: `phase ${message.phase}: ${message.error}` });
          orchestrator.fail(message.phase);
        }
        if (message.cpuUsage !== undefined) (this.agentCpu[message.phase] ??= nameRecord())[agent.name] = message.cpuUsage;
        if (message.globalCounters !== undefined) addCounters(this.globalCounters, message.globalCounters);
        orchestrator.report(agent.name, message.phase, message.status, now);
        this.sendCommands(orchestrator.step(now));
        this.checkDone();
        return;
      }
      case 'stats':
        this.options.onStats?.(agent.name, message.items);
        for (const item of message.items) {
          this.store.addEncoded(agent.name, item.phase, item.stepId, item.metric, item.sequenceId, Buffer.from(item.snapshot, 'base64'));
        }
        return;
      case 'generatorLoad':
        // The protocol module decoded both histograms already.
        this.generator.add(message.phase, {
          lateness: Buffer.from(message.lateness, 'base64'), loopLag: Buffer.from(message.loopLag, 'base64'),
          throttledStarts: message.throttledStarts, droppedStarts: message.droppedStarts,
        });
        return;
      case 'phaseStatsComplete':
        agent.statsComplete.add(message.phase);
        this.maybeCompletePhaseStats(message.phase);
        return;
      case 'sessions':
        for (const [phase, range] of Object.entries(message.phases)) {
          this.store.recordSessions(agent.name, phase, message.timestampMs, range.min, range.max);
        }
        return;
      case 'error':
        if (message.fatal) {
          this.failAgent(agent, message.message);
        } else if (++agent.errorCount <= MAX_ERRORS_PER_AGENT) {
          this.errors.push({ agent: agent.name, message: message.message });
        } else if (agent.errorCount === MAX_ERRORS_PER_AGENT + 1) {
          this.errors.push({ agent: agent.name, message: `more than ${MAX_ERRORS_PER_AGENT} errors; the rest are not kept` });
        }
        return;
      case 'stopped':
        agent.status = 'STOPPED';
        this.onAgentStopped();
        return;
      case 'connections':
        this.connections.add(agent.name, message.timestampMs, message.rows);
        return;
      case 'listing':
        this.listings.answer(agent.name, message.requestId, message.lines);
        return;
      case 'hello':
      case 'heartbeat':
        return;
    }
  }

  /**
   * The plain-text listing of `GET /run/{id}/sessions` or `/connections`: each agent still running lists its
   * sessions or connections, one line each, prefixed with its name; empty once the run has ended (as Hyperfoil).
   */
  async list(what: ListingKind, inactive: boolean): Promise<string> {
    if (this.completed) return '';
    const agents = [...this.agents.values()].filter((a) => a.connection !== undefined && (a.status === 'READY' || a.status === 'REGISTERED'));
    const lines = await this.listings.ask(agents.map((a) => a.name), (requestId) => {
      for (const agent of agents) agent.connection?.send({ type: 'list', requestId, what, inactive });
    });
    return lines.map((line) => `${line}\n`).join('');
  }

  private maybeCompletePhaseStats(phase: string): void {
    if (this.statsCompletedPhases.has(phase)) return;
    const live = [...this.agents.values()].filter((a) => a.status !== 'FAILED');
    if (!live.every((a) => a.statsComplete.has(phase))) return;
    this.statsCompletedPhases.add(phase);
    const state = this.orchestrator?.states.get(phase);
    if (state?.startedAtMs !== undefined) {
      this.store.adjustPhaseTimestamps(phase, state.startedAtMs, state.terminatedAtMs ?? this.clock());
    }
    const before = this.store.failures.length;
    this.store.completePhase(phase);
    if (this.store.failures.slice(before).some((f) => f.phase === phase)) this.orchestrator?.fail(phase);
    this.checkDone();
  }

  private agentLost(agent: AgentState, reason: string): void {
    if (agent.status === 'STOPPING') {
      agent.status = 'STOPPED';
      this.onAgentStopped();
      return;
    }
    this.failAgent(agent, reason);
  }

  /**
   * The one way an agent fails (fatal error, lost connection, invalid message, overdue): it is closed and counts as
   * terminated in every phase, what it measured so far stays, and the run is stopped (the other agents too).
   */
  private failAgent(agent: AgentState, reason: string): void {
    if (agent.status === 'STOPPED' || agent.status === 'FAILED' || this.completed) return;
    const stopping = agent.status === 'STOPPING';
    agent.status = 'FAILED';
    this.errors.push({ agent: agent.name, message: `Agent ${agent.name} failed: ${reason}` });
    agent.connection?.close(reason, 'failed');
    if (stopping) {
      this.onAgentStopped();
      return;
    }
    if (!this.orchestrator) {
      this.onInitFailed(new HyperfoilError('AGENT_FAILED', `agent ${agent.name} failed before the run started: ${reason}`));
      return;
    }
    for (const state of this.orchestrator.states.values()) {
      if (!isTerminated(state.status)) this.orchestrator.report(agent.name, state.phase.name, 'TERMINATED', this.clock());
    }
    this.kill();
    for (const phase of this.orchestrator.states.keys()) this.maybeCompletePhaseStats(phase);
  }

  /** Agents that did not obey a command, or send a terminated phase's statistics, within the response timeout. */
  private failOverdueAgents(): void {
    const orchestrator = this.orchestrator;
    if (!orchestrator) return;
    const nowMs = this.clock();
    const timeoutMs = this.options.agentResponseTimeoutMs ?? DEFAULT_AGENT_RESPONSE_TIMEOUT_MS;
    const within = `within ${formatDurationMs(timeoutMs)}`;
    for (const { agent, phase, status } of orchestrator.overdue(nowMs, timeoutMs)) {
      const state = this.agents.get(agent);
      if (state) this.failAgent(state, `did not report phase ${phase} ${status} ${within}`);
    }
    for (const state of orchestrator.states.values()) {
      const phase = state.phase.name;
      if (state.terminatedAtMs === undefined || this.statsCompletedPhases.has(phase) || nowMs - state.terminatedAtMs <= timeoutMs) continue;
      for (const agent of this.agents.values()) {
        if (agent.status !== 'FAILED' && !agent.statsComplete.has(phase)) {
          this.failAgent(agent, `did not send the statistics of phase ${phase} ${within} of its end`);
        }
      }
    }
  }

  private onAgentStopped: () => void = () => {};

  private async stopAgents(): Promise<void> {
    const live = [...this.agents.values()].filter((a) => a.connection && a.status !== 'FAILED' && a.status !== 'STOPPED');
    if (live.length > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.stopTimeoutMs ?? 5000);
        this.onAgentStopped = () => {
          if (live.every((a) => a.status === 'STOPPED' || a.status === 'FAILED')) {
            clearTimeout(timer);
            resolve();
          }
        };
        for (const agent of live) {
          agent.status = 'STOPPING';
          agent.connection?.send({ type: 'stop' });
        }
      });
    }
    for (const agent of this.agents.values()) agent.connection?.close();
  }

  private slaResolver(phases: ReadonlyMap<string, Phase>): SlaResolver {
    return (phase, stepId, metric) => {
      if (stepId === 0) return phases.get(phase)?.customSlas.find((c) => c.metric === metric)?.slas;
      return this.stepSlas.get(stepId);
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // JSON views

  /**
   * Per phase, how far apart the agents started it (latest start minus earliest, ms on the controller's clock),
   * once every agent that has not failed reported its start.
   */
  phaseStartSkewMs(): Record<string, number> {
    const skews: Record<string, number> = {};
    const agents = [...this.agents.values()];
    for (const phase of this.orchestrator?.states.keys() ?? []) {
      if (agents.some((a) => a.status !== 'FAILED' && !a.phaseStartAgentMs.has(phase))) continue;
      const starts = agents.flatMap((a) => {
        const agentMs = a.phaseStartAgentMs.get(phase);
        return agentMs === undefined ? [] : [agentMs - (a.connection?.clockOffsetMs ?? 0)];
      });
      if (starts.length > 0) skews[phase] = Math.round(Math.max(...starts) - Math.min(...starts));
    }
    return skews;
  }

  /** Each agent's clock minus the controller's (ms), for agents that registered. */
  agentClockOffsetsMs(): Record<string, number> {
    const offsets: Record<string, number> = {};
    for (const agent of this.agents.values()) {
      const offset = agent.connection?.clockOffsetMs;
      if (offset !== undefined) offsets[agent.name] = Math.round(offset);
    }
    return offsets;
  }

  toJson(): RunJson {
    const now = this.clock();
    const skews = this.phaseStartSkewMs();
    return {
      id: this.id,
      benchmark: this.benchmark.name,
      ...(this.startedMs !== undefined ? { started: this.startedMs } : {}),
      ...(this.terminatedMs !== undefined ? { terminated: this.terminatedMs } : {}),
      cancelled: this.cancelled,
      completed: this.completed,
      persisted: this.persisted,
      ...(this.description !== undefined ? { description: this.description } : {}),
      phases: this.phases.filter((s) => s.phase.model.type !== 'noop').map((s) => phaseJson(s, now, skews[s.phase.name])),
      agents: [...this.agents.values()].map((a): AgentJson => ({
        name: a.name, address: a.connection?.address ?? '', status: a.status,
        ...(a.connection?.clockOffsetMs !== undefined ? { clockOffsetMs: Math.round(a.connection.clockOffsetMs) } : {}),
      })),
      errors: this.errors.map((e) => (e.agent ? `${e.agent}: ${e.message}` : e.message)),
    };
  }
}

function phaseJson(state: PhaseState, nowMs: number, startSkewMs: number | undefined): PhaseJson {
  const { phase } = state;
  const started = state.startedAtMs;
  const json: { -readonly [K in keyof PhaseJson]: PhaseJson[K] } = {
    name: phase.name,
    status: state.status,
    type: phase.model.type.toLowerCase(),
    failed: state.failed,
    description: describeModel(phase.model),
  };
  if (started !== undefined) json.started = started;
  if (startSkewMs !== undefined) json.startSkewMs = startSkewMs;
  if (state.terminatedAtMs !== undefined) json.completed = state.terminatedAtMs;
  if (started !== undefined && !isTerminated(state.status)) {
    const elapsed = nowMs - started;
    const left = phase.durationMs !== undefined ? Math.max(0, phase.durationMs - elapsed) : undefined;
    const hardLeft = phase.maxDurationMs !== undefined ? Math.max(0, phase.maxDurationMs - elapsed) : undefined;
    if (left !== undefined || hardLeft !== undefined) {
      json.remaining = `${left ?? hardLeft} ms${hardLeft !== undefined && left !== undefined ? ` (${hardLeft} ms)` : ''}`;
    }
  }
  if (started !== undefined && state.terminatedAtMs !== undefined) {
    const total = state.terminatedAtMs - started;
    const over = phase.durationMs !== undefined ? total - phase.durationMs : 0;
    json.totalDuration = over > 0 ? `${total} ms (exceeded by ${over} ms)` : `${total} ms`;
  }
  return json;
}
