/**
 * Compiles a benchmark's scenarios the way a worker would, without opening a connection, so that problems only
 * the engine can see (a `loop` that is not first, an unknown date pattern, a step with no runtime…) are reported by
 * `validate` and before `run` starts, with their file:line:column.
 */
import type { Benchmark, SlaSpec } from '../config/index.js';
import { EngineCompileError, EngineWorker, Services, SOLO_WORKER } from '../engine/index.js';
import { poolForTarget } from '../http/index.js';
import type { HttpConnectionPool } from '../http/index.js';
import { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from '../http/steps/index.js';
import { BenchmarkError } from '../lib/index.js';
import type { Problem } from '../lib/index.js';
import { agentShare, threadShare } from '../plan/index.js';
import { StatsRecorderRegistry } from '../stats/index.js';
import './catalogue.js';

const POSITION = /([^\s`]+):(\d+):(\d+): ([\s\S]*)$/;

function toProblem(benchmark: Benchmark, error: EngineCompileError): Problem {
  const match = POSITION.exec(error.message);
  if (!match) return { file: benchmark.source.fileName, line: 1, column: 1, message: error.message };
  return { file: match[1] as string, line: Number(match[2]), column: Number(match[3]), message: match[4] as string };
}

/**
 * The engine of thread 0 of agent 0 over pools that are never started (nothing connects), with at most
 * `maxSessionsPerPool` sessions per pool (all by default). Throws EngineCompileError; `close` releases it.
 */
export function offlineEngine(benchmark: Benchmark, maxSessionsPerPool?: number): { readonly engine: EngineWorker; close(): void } {
  const share = threadShare(agentShare(benchmark, 0), 0);
  const pools = new Map(share.http.map((target) => [target, poolForTarget(target, (name) => benchmark.files.get(name) ?? Buffer.alloc(0))]));
  const services = new Services()
    .set(HTTP_POOLS, { of: (target) => pools.get(target) ?? ([...pools.values()][0] as HttpConnectionPool) })
    .set(STATS_RECORDERS, new StatsRecorderRegistry(benchmark.statisticsCollectionPeriodMs))
    .set(STEP_SLAS, new Map<number, readonly SlaSpec[]>());
  const closePools = (): void => {
    for (const pool of pools.values()) pool.shutdown();
  };
  try {
    const engine = new EngineWorker({
      benchmark: { phases: share.phases, ergonomics: benchmark.ergonomics, http: share.http, files: benchmark.files },
      identity: SOLO_WORKER,
      onStatus: () => {},
      services,
      ...(maxSessionsPerPool !== undefined ? { maxSessionsPerPool } : {}),
    });
    return { engine, close: () => { engine.close(); closePools(); } };
  } catch (error) {
    closePools();
    throw error;
  }
}

/** The problems the engine finds in the benchmark ([] when it compiles). */
export function compileCheck(benchmark: Benchmark): Problem[] {
  try {
    // Nothing runs here: one session per pool checks what sessions check. All of them (10,000 users → ~30 MB)
    // would only grow the heap of the process that then runs the benchmark.
    offlineEngine(benchmark, 1).close();
    return [];
  } catch (error) {
    if (error instanceof EngineCompileError) return [toProblem(benchmark, error)];
    throw error;
  }
}

/**
 * The checks a parsed benchmark must pass before it is accepted anywhere: `hyperfoil validate`, `hyperfoil run` and
 * the controller's upload and start all call this, so they refuse the same benchmarks with the same
 * file:line:column text. Returns the benchmark; throws `BenchmarkError`.
 */
export function validateBenchmark<B extends Benchmark>(benchmark: B): B {
  const problems = compileCheck(benchmark);
  if (problems.length > 0) throw new BenchmarkError(problems);
  return benchmark;
}
