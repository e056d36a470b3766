/**
 * For the REST tests only: a stand-in for the run manager (the real one is wired by the lead) that keeps runs in
 * memory and writes their directories the way the real one will, plus helpers to start a server on 127.0.0.1:0
 * with a real BenchmarkStore in a temporary directory and to make raw HTTP requests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HyperfoilError } from '../../lib/index.js';
import type { RequestStatisticsResponse, RunJson, RunService, StartOptions, StoredBenchmark } from '../api.js';
import { BenchmarkStore } from '../benchmark-store.js';
import { allocateRunId } from '../run-ids.js';
import type { RestServerOptions, RunServiceExtras } from './options.js';
import { startRestServer } from './server.js';
import type { RestServer } from './server.js';

interface StandInRun {
  json: RunJson;
  finished: boolean;
  readonly dir: string;
  readonly options: StartOptions;
}

const STATS: RequestStatisticsResponse = {
  status: 'RUNNING',
  statistics: [{
    phase: 'main', stepId: 1, metric: 'test', failedSLAs: [], isWarmup: false,
    summary: {
      startTime: 1, endTime: 2, minResponseTime: 1000, meanResponseTime: 2000, stdDevResponseTime: 10, maxResponseTime: 3000,
      percentileResponseTime: { '50.0': 2000 }, requestCount: 10, responseCount: 10, invalid: 0, connectionErrors: 0,
      requestTimeouts: 0, internalErrors: 0, blockedTime: 0, extensions: {},
    },
  }],
};

/** Keeps runs in memory; a run goes on until `finish(id)`. Only one run at a time, like Hyperfoil's controller. */
export class StandInRunService implements RunService, RunServiceExtras {
  readonly runs = new Map<string, StandInRun>();
  readonly started: Array<{ benchmark: StoredBenchmark; options: StartOptions }> = [];
  /** Makes `statsRecent` throw a plain Error, to check that the server survives a bug in a handler. */
  failStats = false;

  constructor(private readonly runRoot: string) {}

  get busy(): boolean {
    return [...this.runs.values()].some((r) => !r.finished);
  }

  async start(benchmark: StoredBenchmark, options: StartOptions): Promise<RunJson> {
    if (this.busy) throw new HyperfoilError('RUN_IN_PROGRESS', 'another run is in progress');
    const id = allocateRunId(this.runRoot);
    const dir = join(this.runRoot, id);
    writeFileSync(join(dir, `${benchmark.name}.yaml`), benchmark.text);
    const json: RunJson = {
      id, benchmark: benchmark.name, started: Date.now(), cancelled: false, completed: false, persisted: false,
      ...(options.description !== undefined ? { description: options.description } : {}),
      phases: [], agents: [{ name: 'in-vm', address: 'localhost', status: 'REGISTERED' }], errors: [],
    };
    this.runs.set(id, { json, finished: false, dir, options });
    this.started.push({ benchmark, options });
    return json;
  }

  /** Ends a run and writes its exports. */
  finish(id: string): void {
    const run = this.runs.get(id)!;
    run.finished = true;
    run.json = { ...run.json, completed: true, persisted: true, terminated: Date.now() };
    mkdirSync(join(run.dir, 'stats'), { recursive: true });
    writeFileSync(join(run.dir, 'stats', 'total.csv'), 'Phase,Metric,Requests\nmain,test,10\n');
  }

  list(): RunJson[] {
    return [...this.runs.values()].map((r) => r.json);
  }

  get(id: string): RunJson | undefined {
    if (id === 'last') return [...this.runs.values()].at(-1)?.json;
    return this.runs.get(id)?.json;
  }

  kill(id: string): boolean {
    const run = this.runs.get(id);
    if (!run || run.finished) return false;
    this.finish(id);
    run.json = { ...run.json, cancelled: true };
    return true;
  }

  statsRecent(id: string): RequestStatisticsResponse | undefined {
    if (this.failStats) throw new Error('stand-in failure');
    return this.runs.has(id) ? STATS : undefined;
  }

  statsTotal(id: string): RequestStatisticsResponse | undefined {
    return this.runs.has(id) ? { ...STATS, status: this.runs.get(id)!.finished ? 'TERMINATED' : 'RUNNING' } : undefined;
  }

  allJson(id: string): unknown {
    const run = this.runs.get(id);
    if (!run?.finished) return undefined;
    return { info: { id, benchmark: run.json.benchmark }, agentCpu: { main: { 'in-vm': '42%' } } };
  }

  statsFiles(id: string): ReadonlyMap<string, Buffer> | undefined {
    const run = this.runs.get(id);
    if (!run?.finished) return undefined;
    return new Map([
      ['total.csv', Buffer.from('Phase,Metric,Requests\nmain,test,10\n')],
      ['main.test.1.histogram.csv', Buffer.from('Value,Percentile\n1.0,0.5\n'.repeat(50))],
    ]);
  }

  histogram(id: string, phase: string, stepId: number, metric: string): unknown {
    return this.runs.has(id) && phase === 'main' && stepId === 1 && metric === 'test'
      ? [{ phase, metric, startTime: 1, endTime: 2, data: 'HISTFAAAA' }] : undefined;
  }

  series(id: string, phase: string, stepId: number, metric: string): unknown {
    return this.histogram(id, phase, stepId, metric) === undefined ? undefined : [STATS.statistics[0]!.summary];
  }

  sessions(id: string, which: 'recent' | 'total'): unknown {
    return this.runs.has(id) ? { main: { 'in-vm': { min: which === 'recent' ? 1 : 0, max: 5 } } } : undefined;
  }

  connections(id: string, which: 'recent' | 'total'): unknown {
    return this.runs.has(id) ? { 'localhost:8080': { 'HTTP 1.x': { min: 0, max: which === 'recent' ? 2 : 4 } } } : undefined;
  }

  listSessions(id: string, includeInactive: boolean): string {
    return `in-vm: #0 (main) 1 sequences${includeInactive ? ' [inactive included]' : ''} run ${id}\n`;
  }

  runDir(id: string): string | undefined {
    return this.runs.get(id)?.dir;
  }

  agents(): string[] {
    return this.runs.size > 0 ? ['in-vm'] : [];
  }
}

export interface TestServer {
  readonly server: RestServer;
  readonly url: string;
  readonly root: string;
  readonly store: BenchmarkStore;
  readonly runs: StandInRunService;
  readonly logged: string[];
  /** How often `onShutdown` was called. */
  shutdownCount(): number;
  /** Closes the server; with `keepRoot` the directory stays for a restart. */
  close(keepRoot?: boolean): Promise<void>;
}

export type TestServerOptions = Partial<Omit<RestServerOptions, 'store' | 'runs' | 'onShutdown' | 'version' | 'log'>> & {
  readonly root?: string;
  readonly runs?: StandInRunService;
};

export async function startTestServer(overrides: TestServerOptions = {}): Promise<TestServer> {
  const root = overrides.root ?? mkdtempSync(join(tmpdir(), 'hf-rest-'));
  const store = new BenchmarkStore(root);
  const runs = overrides.runs ?? new StandInRunService(join(root, 'run'));
  const logged: string[] = [];
  const { root: _root, runs: _runs, ...rest } = overrides;
  const state = { shutdowns: 0 };
  const server = await startRestServer({
    host: '127.0.0.1', port: 0, ...rest, store, runs,
    version: () => ({ version: '0.1.0-test', commitId: 'abc123', deploymentId: 'test' }),
    onShutdown: () => {
      state.shutdowns++;
    },
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
  return {
    server, url: server.url, root, store, runs, logged,
    shutdownCount: () => state.shutdowns,
    async close(keepRoot = false) {
      await server.close();
      if (!keepRoot) rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * A request with node:http, for what fetch cannot express: an exact request target (`/benchmark/../x` unnormalized),
 * bodies larger than the server accepts, and chunked bodies. Errors after the response arrived (the server closing
 * a connection it refused the body of) are ignored.
 */
export function rawRequest(
  url: string, method: string, target: string,
  options: { headers?: Record<string, string | number>; body?: Buffer | Buffer[]; localAddress?: string } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({
      host: hostname, port, method, path: target, headers: options.headers ?? {}, agent: false,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (error) => {
        if (!answered) reject(error);
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const body = options.body;
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}
