/**
 * What the controller offers, independent of transport: the REST server (Hyperfoil's openapi.yaml), the embedded
 * `hyperfoil run` and the shell all go through this one interface. JSON shapes follow Hyperfoil's openapi
 * (dates are epoch milliseconds, latencies nanoseconds).
 */
import type { PhaseGeneratorLoadJson, RequestStats } from '../stats/index.js';

export interface PhaseJson {
  readonly name: string;
  readonly status: string;
  /** Always "phase" plus the model, lower-cased (Hyperfoil: the class name). */
  readonly type: string;
  readonly started?: number;
  /** `N ms (M ms)` time left of duration (and of maxDuration). */
  readonly remaining?: string;
  readonly completed?: number;
  readonly failed: boolean;
  readonly totalDuration?: string;
  readonly description: string;
  /** How far apart the agents started this phase (ms, on the controller's clock); absent until every agent ran it. */
  readonly startSkewMs?: number;
}

export interface AgentJson {
  readonly name: string;
  readonly address: string;
  readonly status: string;
  /** The agent's clock minus the controller's (ms), measured at registration. */
  readonly clockOffsetMs?: number;
}

export interface RunJson {
  readonly id: string;
  readonly benchmark: string;
  readonly started?: number;
  readonly terminated?: number;
  readonly cancelled: boolean;
  readonly completed: boolean;
  readonly persisted: boolean;
  readonly description?: string;
  readonly phases: readonly PhaseJson[];
  readonly agents: readonly AgentJson[];
  readonly errors: readonly string[];
}

export interface RequestStatisticsResponse {
  /** `RUNNING`, `TERMINATED` or `INITIALIZING`. */
  readonly status: string;
  readonly statistics: readonly RequestStats[];
}

export interface VersionJson {
  readonly version: string;
  readonly commitId: string;
  readonly deploymentId: string;
  readonly serverTime: number;
}

/** A benchmark upload: the YAML and the data files it names (multipart parts), keyed by the name as written. */
export interface BenchmarkUpload {
  readonly text: string;
  readonly files: ReadonlyMap<string, Buffer>;
  /** The `if-match` version the client edited; a stale one is a conflict. */
  readonly ifMatch?: string;
}

export interface StoredBenchmark {
  readonly name: string;
  readonly text: string;
  /** Changes with every upload; sent as ETag, checked against if-match. */
  readonly version: string;
  readonly files: ReadonlyMap<string, Buffer>;
  /** Has `!param`s: stored as a template and rendered at run start. */
  readonly isTemplate: boolean;
}

export interface StartOptions {
  readonly description?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** A run id reserved by `request` (the CI trigger flow): the run starts under it. */
  readonly runId?: string;
}

/** A run requested through a benchmark's `triggerUrl`, waiting for the CI job to start it (`start?runId=`). */
export interface RequestedRun {
  readonly id: string;
  readonly benchmark: string;
  readonly description?: string;
  readonly params?: Readonly<Record<string, string>>;
}

/** The run side of the controller, as the REST layer and the CLI use it. Unknown run ids give `undefined`. */
export interface RunService {
  /** Starts a run of a stored benchmark. Throws HyperfoilError: `RUN_IN_PROGRESS`, `INVALID_BENCHMARK`, `AGENTS_*`. */
  start(benchmark: StoredBenchmark, options: StartOptions): Promise<RunJson>;
  /** Reserves a run id for a run that a CI job will start (`triggerUrl`); the run is listed as not started. */
  request?(benchmark: StoredBenchmark, options: StartOptions): RequestedRun;
  /** The reservation of a requested run not started yet. */
  requested?(id: string): RequestedRun | undefined;
  list(): RunJson[];
  /** `last` is the most recent run. */
  get(id: string): RunJson | undefined;
  kill(id: string): boolean;
  statsRecent(id: string): RequestStatisticsResponse | undefined;
  statsTotal(id: string): RequestStatisticsResponse | undefined;
  /** The `all.json` export; `undefined` while the run is still going. */
  allJson(id: string): unknown;
  /** The files under `<run>/stats/` (name → content) for the CSV zip; `undefined` while the run is going. */
  statsFiles(id: string): ReadonlyMap<string, Buffer> | undefined;
  /** The merged histogram (HdrHistogram compressed, base64), or one agent's. */
  histogram(id: string, phase: string, stepId: number, metric: string, agent?: string): unknown;
  series(id: string, phase: string, stepId: number, metric: string): unknown;
  sessions(id: string, which: 'recent' | 'total'): unknown;
  connections(id: string, which: 'recent' | 'total'): unknown;
  /** Whether the load generator kept up, per phase (all.json's `generator.phases`), live or stored; for /metrics. */
  generatorLoad?(id: string): readonly PhaseGeneratorLoadJson[] | undefined;
  /** The run's directory (`<root>/run/<id>`), for `/file`, `/report` and `/benchmark`. */
  runDir(id: string): string | undefined;
  /** Names of every agent that took part in a run. */
  agents(): string[];
  /** True while a run is going (shutdown without `force` is refused then). */
  readonly busy: boolean;
}
