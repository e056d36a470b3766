/**
 * Test support for the HTTP steps: real node:http servers on 127.0.0.1, and a runner that parses a small YAML
 * benchmark, opens real connection pools, runs one phase in an `EngineWorker` with the HTTP services, and returns
 * the statistics recorded per metric (the snapshots of every bucket and step summed).
 */
import { createServer } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBenchmark } from '../../config/index.js';
import type { Benchmark, HttpTarget, SlaSpec } from '../../config/index.js';
import { EngineWorker, Services, SOLO_WORKER } from '../../engine/index.js';
import type { EngineRegistry, PhaseStatusEvent, Session } from '../../engine/index.js';
import { StatsRecorderRegistry, StatsSnapshot } from '../../stats/index.js';
import type { HttpConnectionPool } from '../pool.js';
import { poolForTarget } from '../pool-for-target.js';
import { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from './index.js';

// ---------------------------------------------------------------------------------------------------------------
// Servers

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
  readonly body: string;
  readonly atMs: number;
}

export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly seen: SeenRequest[];
  readonly server: Server;
  close(): Promise<void>;
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * `HF_TEST_PROTOCOL=h2c` runs the step tests over HTTP/2: the servers speak h2c (node:http2, whose compatibility
 * request/response objects stand in for node:http's) and the pools use h2c with prior knowledge.
 */
export const TEST_PROTOCOL: 'http1' | 'h2c' = process.env.HF_TEST_PROTOCOL === 'h2c' ? 'h2c' : 'http1';

/** Starts a server on 127.0.0.1:0 that records every request (with its body) before calling `handler`. */
export async function startServer(handler: TestHandler): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const create = TEST_PROTOCOL === 'h2c' ? (createH2cServer as unknown as typeof createServer) : createServer;
  const server = create((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // Over HTTP/2 the authority travels as :authority, which replaces Host.
      const headers = TEST_PROTOCOL === 'h2c' ? { host: req.headers[':authority'] as string | undefined, ...req.headers } : req.headers;
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers, rawHeaders: req.rawHeaders, body, atMs: Date.now() });
      handler(req, res, body);
    });
  });
  if (TEST_PROTOCOL === 'http1') server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port nobody listens on (bound then released). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a benchmark

export interface RunOptions {
  /** Phase to run (default: the first one). */
  readonly phase?: string;
  /** Sleep this long after RUN before FINISH (open and `always` models); atOnce phases finish at once. */
  readonly durationMs?: number;
  /** Give up waiting for TERMINATED after this long (then TERMINATE). Default 5 s. */
  readonly timeoutMs?: number;
  /** Open the pools' core connections first (default true; false for a refused port). */
  readonly startPools?: boolean;
  readonly registry?: EngineRegistry;
  readonly files?: Readonly<Record<string, string>>;
}

export interface RunResult {
  readonly benchmark: Benchmark;
  /** Every metric's statistics, summed over steps and buckets. */
  readonly stats: Map<string, StatsSnapshot>;
  /** Per `metric#stepId`. */
  readonly byStep: Map<string, StatsSnapshot>;
  readonly statuses: PhaseStatusEvent[];
  readonly counters: ReturnType<EngineWorker['counters']>;
  readonly stepSlas: Map<number, readonly SlaSpec[]>;
  readonly pools: Map<HttpTarget, HttpConnectionPool>;
  /** The phase's pooled sessions (their variables are as the last session life left them). */
  readonly sessions: readonly Session[];
  readonly elapsedMs: number;
  /** Whether TERMINATED came by itself (false: the timeout hit and the phase was terminated). */
  readonly terminated: boolean;
}

export function openPools(benchmark: Benchmark): Map<HttpTarget, HttpConnectionPool> {
  const read = (file: string): Buffer => {
    const content = benchmark.files.get(file);
    if (!content) throw new Error(`no data file ${file}`);
    return content;
  };
  // Fail fast in tests: a refused connection is reported after 3 quick attempts.
  const protocol = TEST_PROTOCOL === 'h2c' ? { allowHttp1x: false, allowHttp2: true } : {};
  return new Map(benchmark.http.map((target) => [target, poolForTarget(target, read, { retryInitialMs: 20, retryMaxMs: 100, startFailureLimit: 3, ...protocol })]));
}

export async function runBenchmark(yaml: string, options: RunOptions = {}): Promise<RunResult> {
  const files = options.files ?? {};
  const benchmark = parseBenchmark(yaml, {
    fileName: 'test.hf.yaml',
    files: (name) => (Object.hasOwn(files, name) ? Buffer.from(files[name]!, 'utf8') : undefined),
  });
  const recorders = new StatsRecorderRegistry(benchmark.statisticsCollectionPeriodMs);
  const pools = openPools(benchmark);
  const stepSlas = new Map<number, readonly SlaSpec[]>();
  const services = new Services()
    .set(HTTP_POOLS, {
      of(target) {
        const pool = pools.get(target);
        if (pool === undefined) throw new Error(`no pool for ${target.authority}`);
        return pool;
      },
    })
    .set(STATS_RECORDERS, recorders)
    .set(STEP_SLAS, stepSlas);
  const statuses: PhaseStatusEvent[] = [];
  let terminatedResolve: () => void = () => {};
  const terminatedPromise = new Promise<void>((resolve) => { terminatedResolve = resolve; });
  const phase = benchmark.phases.find((p) => (options.phase === undefined ? p.model.type !== 'noop' : p.name === options.phase));
  if (phase === undefined) throw new Error(`no phase ${options.phase ?? ''}`);
  const worker = new EngineWorker({
    benchmark,
    identity: SOLO_WORKER,
    services,
    ...(options.registry !== undefined ? { registry: options.registry } : {}),
    onStatus: (event) => {
      statuses.push(event);
      if (event.phaseId !== phase.id) return;
      if (event.status === 'RUNNING') recorders.startPhase(event.phaseId, Date.now());
      if (event.status === 'TERMINATED') {
        recorders.endPhase(event.phaseId, Date.now());
        terminatedResolve();
      }
    },
  });
  let terminated = false;
  let counters: ReturnType<EngineWorker['counters']>;
  let sessions: readonly Session[] = [];
  const startedAt = performance.now();
  try {
    if (options.startPools !== false) {
      await Promise.all([...pools.values()].map((pool) => new Promise<void>((resolve, reject) => pool.start((e) => (e ? reject(e) : resolve())))));
    }
    worker.command(phase.name, 'RUN');
    if (options.durationMs !== undefined) await sleep(options.durationMs);
    worker.command(phase.name, 'FINISH');
    worker.command(phase.name, 'TRY_TERMINATE');
    const timeout = new AbortController();
    terminated = await Promise.race([
      terminatedPromise.then(() => true),
      sleep(options.timeoutMs ?? 5000, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (!terminated) worker.command(phase.name, 'TERMINATE');
  } finally {
    counters = worker.counters(phase.name);
    sessions = worker.sessionsOf(phase.name);
    worker.close();
    for (const pool of pools.values()) pool.shutdown();
  }
  const stats = new Map<string, StatsSnapshot>();
  const byStep = new Map<string, StatsSnapshot>();
  for (const { recorder, snapshot } of recorders.drainPhase(phase.id)) {
    for (const [map, key] of [[stats, recorder.metric], [byStep, `${recorder.metric}#${recorder.stepId}`]] as const) {
      const sum = map.get(key) ?? new StatsSnapshot('int32');
      sum.add(snapshot);
      map.set(key, sum);
    }
  }
  return { benchmark, stats, byStep, statuses, counters, stepSlas, pools, sessions, elapsedMs: performance.now() - startedAt, terminated };
}


/** A snapshot's counters as a plain object, for readable assertions. */
export function counts(snapshot: StatsSnapshot | undefined): Record<string, number> {
  if (snapshot === undefined) return {};
  return {
    requests: snapshot.requestCount,
    responses: snapshot.responseCount,
    invalid: snapshot.invalid,
    connectionErrors: snapshot.connectionErrors,
    requestTimeouts: snapshot.requestTimeouts,
    internalErrors: snapshot.internalErrors,
    s2xx: snapshot.status2xx,
    s3xx: snapshot.status3xx,
    s4xx: snapshot.status4xx,
    s5xx: snapshot.status5xx,
  };
}

/** YAML of an `atOnce` phase named `main` with `users` sessions running `scenario` (indented YAML of the scenario). */
export function atOnceYaml(http: string, users: number, scenario: string, extra = ''): string {
  return `name: test
${http}
${extra}
phases:
- main:
    atOnce:
      users: ${users}
      scenario:
${indent(scenario, 8)}
`;
}

export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => pad + l).join('\n');
}
