/**
 * `hyperfoil wrk` and `hyperfoil wrk2`: wrk-compatible one-shot commands, as Hyperfoil has them. The options
 * become a benchmark (wrk-benchmark.ts) that runs exactly as `hyperfoil run` runs a file (RunManager, the
 * in-process agent and its worker threads), and the `test` phase's statistics are printed in wrk's format
 * (wrk-report.ts). The run is stored like any other (`<root>/run/<id>/`); where, goes to stderr so that stdout
 * holds only what wrk would print.
 */
import { parseBenchmark } from '../../config/index.js';
import { RunManager } from '../../controller/index.js';
import type { Run } from '../../controller/index.js';
import { inVmDeployer } from '../../deploy/index.js';
import { HyperfoilError, parseDurationMs } from '../../lib/index.js';
import { StatsSnapshot } from '../../stats/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec, ParsedArgs } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { renderGeneratorTable } from '../format/generator-table.js';
import type { Output } from '../output.js';
import { DEFAULT_ROOT_DIR, watchInterrupts } from './run.js';
import { buildWrkBenchmark, parseWrkUrl } from './wrk-benchmark.js';
import type { WrkOptions } from './wrk-benchmark.js';
import { renderWrkReport, wrkFigures, wrkHeader } from './wrk-report.js';
import { writeReport } from './report-file.js';

export const COMMON_FLAGS: FlagSpec[] = [
  { name: 'connections', short: 'c', value: 'N', description: 'connections to keep open, one user each (default 10)' },
  { name: 'threads', short: 't', value: 'N', description: 'worker threads (default 2)' },
  { name: 'duration', short: 'd', value: 'DURATION', description: 'duration of the test, e.g. 10s, 2m (default 10s)' },
  { name: 'warmup-duration', value: 'DURATION', description: 'calibration phase before the test; 0 for none (default 6s)' },
  { name: 'header', short: 'H', value: '"K: V"', repeatable: true, description: 'add a header to every request (repeatable)' },
  { name: 'timeout', short: 'T', value: 'DURATION', description: 'request timeout (default 60s)' },
  { name: 'latency', description: 'print the latency distribution' },
  { name: 'enable-http2', description: 'allow HTTP/2 (off by default, as in wrk)' },
  { name: 'use-http-cache', description: 'use the client-side HTTP cache (off by default)' },
  { name: 'root-dir', value: 'DIR', description: `where the run is stored (default ${DEFAULT_ROOT_DIR})` },
  { name: 'agent', short: 'A', value: 'NAME=K=V,…', repeatable: true, description: 'not available: wrk runs on this machine' },
  { name: 'output', short: 'o', value: 'FILE', description: 'also write the HTML report of the run to FILE' },
  { name: 'script', short: 's', value: 'FILE', description: 'not available: Lua scripts are not supported, as in Hyperfoil' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const WRK2_FLAGS: FlagSpec[] = [
  { name: 'rate', short: 'R', value: 'N', description: 'requests per second, all threads together (required)' },
  ...COMMON_FLAGS,
];

const WRK_USAGE = usage('wrk [-c 10] [-t 2] [-d 10s] [--warmup-duration 6s] [-H "K: V"]... [--timeout 60s] [--latency] URL',
  'Closed-loop load like wrk: each connection sends its next request as soon as the previous one completes. '
  + 'Prints wrk\'s result format. Exit codes: 0 done, 2 usage, 4 the run failed, 5 the load generator saturated.', COMMON_FLAGS);

const WRK2_USAGE = usage('wrk2 -R RATE [-c 10] [-t 2] [-d 10s] [--warmup-duration 6s] [-H "K: V"]... [--timeout 60s] [--latency] URL',
  'Constant request rate like wrk2 (open model, even gaps): latency is measured from the scheduled send time, free '
  + 'of coordinated omission. Exit codes: 0 done, 2 usage, 4 the run failed, 5 the load generator saturated.', WRK2_FLAGS);

function positiveInt(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${what} must be a whole number of at least 1, got \`${text}\``);
  return value;
}

function duration(text: string | undefined, fallbackMs: number, what: string, allowZero: boolean): number {
  if (text === undefined) return fallbackMs;
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw new UsageError(`${what}: ${parsed.message}`);
  if (parsed.value < 0 || (!allowZero && parsed.value === 0)) throw new UsageError(`${what} must be ${allowZero ? 'zero or more' : 'positive'}, got \`${text}\``);
  return parsed.value;
}

/** The options of a command line; usage errors for everything wrk would refuse. */
export function wrkOptions(argv: readonly string[], wrk2: boolean): WrkCommandLine | 'help' {
  return wrkOptionsOf(parseArgs(argv, wrk2 ? WRK2_FLAGS : COMMON_FLAGS), wrk2);
}

/** What a wrk/wrk2 command line asks for. */
export interface WrkCommandLine {
  readonly options: WrkOptions;
  readonly latency: boolean;
  readonly rootDir: string;
  /** `-o FILE`: also write the HTML report there. */
  readonly reportFile?: string;
}

/** The options of parsed arguments (the shell's `wrk`/`wrk2` parse them with the same flags). */
export function wrkOptionsOf(args: ParsedArgs, wrk2: boolean): WrkCommandLine | 'help' {
  const name = wrk2 ? 'wrk2' : 'wrk';
  if (flag(args, 'help')) return 'help';
  if (flag(args, 'script') !== undefined) throw new UsageError('Lua scripts (-s) are not supported, as in Hyperfoil: write a benchmark file and use `hyperfoil run`');
  if (args.flags.has('agent')) throw new UsageError(`${name} runs its load on this machine; agents (-A) need a clustered controller`);
  const [url, ...extra] = args.positional;
  if (url === undefined) throw new UsageError(`${name} needs the URL to test\n\n${wrk2 ? WRK2_USAGE : WRK_USAGE}`);
  if (extra.length > 0) throw new UsageError(`${name} takes one URL, got also \`${extra.join(' ')}\``);
  parseWrkUrl(url);
  const connections = positiveInt(flag(args, 'connections'), 10, '-c/--connections');
  const threads = positiveInt(flag(args, 'threads'), 2, '-t/--threads');
  if (connections < threads) throw new UsageError(`-c/--connections (${connections}) must be at least -t/--threads (${threads}): every thread needs a connection`);
  let ratePerSec: number | undefined;
  if (wrk2) {
    const rate = flag(args, 'rate');
    if (rate === undefined) throw new UsageError('wrk2 needs the request rate: -R/--rate N (requests per second)');
    ratePerSec = Number(rate);
    if (!Number.isFinite(ratePerSec) || ratePerSec <= 0) throw new UsageError(`-R/--rate must be a positive number of requests per second, got \`${rate}\``);
  }
  const options: WrkOptions = {
    url,
    connections,
    threads,
    durationMs: duration(flag(args, 'duration'), 10_000, '-d/--duration', false),
    warmupMs: duration(flag(args, 'warmup-duration'), 6_000, '--warmup-duration', true),
    headers: args.flags.get('header') ?? [],
    timeoutMs: duration(flag(args, 'timeout'), 60_000, '--timeout', false),
    ...(ratePerSec !== undefined ? { ratePerSec } : {}),
    enableHttp2: flag(args, 'enable-http2') !== undefined,
    useHttpCache: flag(args, 'use-http-cache') !== undefined,
  };
  const reportFile = flag(args, 'output');
  return {
    options, latency: flag(args, 'latency') !== undefined, rootDir: flag(args, 'root-dir') ?? DEFAULT_ROOT_DIR,
    ...(reportFile !== undefined ? { reportFile } : {}),
  };
}

export function wrkCommand(argv: readonly string[], out: Output): Promise<number> {
  return runWrk(argv, out, false);
}

export function wrk2Command(argv: readonly string[], out: Output): Promise<number> {
  return runWrk(argv, out, true);
}

async function runWrk(argv: readonly string[], out: Output, wrk2: boolean): Promise<number> {
  const parsed = wrkOptions(argv, wrk2);
  if (parsed === 'help') {
    out.info(wrk2 ? WRK2_USAGE : WRK_USAGE);
    return ExitCode.OK;
  }
  const { options, latency, rootDir, reportFile } = parsed;
  const manager = new RunManager({ rootDir, deployer: inVmDeployer(), mode: 'standalone', render: () => { throw new Error('wrk renders no stored benchmark'); } });
  return executeWrk(manager, options, {
    latency, wrk2, description: `${wrk2 ? 'wrk2' : 'wrk'} ${argv.join(' ')}`, watchSignals: true, ...(reportFile !== undefined ? { reportFile } : {}),
  }, out);
}

/**
 * Runs the benchmark built from wrk's options on `manager` (a one-shot one, or the shell's local controller) and
 * prints wrk's report; returns the exit code (0, 4 the run failed, 5 saturated, 130 interrupted).
 */
export async function executeWrk(
  manager: RunManager, options: WrkOptions,
  how: { latency: boolean; wrk2: boolean; description: string; watchSignals: boolean; reportFile?: string }, out: Output,
): Promise<number> {
  const { latency, wrk2, reportFile } = how;
  const name = wrk2 ? 'wrk2' : 'wrk';
  const benchmark = parseBenchmark(buildWrkBenchmark(options, name), { fileName: `${name}.hf.yaml` });
  out.info(wrkHeader({ url: options.url, durationMs: options.durationMs, threads: options.threads, connections: options.connections }));
  let run: Run;
  try {
    run = manager.startRun(benchmark, { description: how.description });
  } catch (error) {
    if (error instanceof HyperfoilError) throw error;
    throw new HyperfoilError('RUN_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
  }
  const interrupted = how.watchSignals ? watchInterrupts(run, out) : { count: 0, dispose: () => {} };
  await manager.whenStored(run.id);
  interrupted.dispose();
  const test = run.store.entries().find((data) => data.phase === 'test');
  if (test !== undefined || run.errors.length === 0) {
    const total = test?.total ?? new StatsSnapshot('float64');
    const phase = run.phases.find((state) => state.phase.name === 'test');
    const loadMs = phase?.startedAtMs !== undefined && phase.finishedAtMs !== undefined ? phase.finishedAtMs - phase.startedAtMs : undefined;
    out.info(renderWrkReport(total, wrkFigures(total, test?.series ?? [], options.threads, loadMs), { latency, wrk2 }));
  }
  // Only the test phase is measured; a slow calibration (JIT warm-up) is what calibration is for.
  const measured = (phase: string): boolean => phase === 'test';
  const load = run.generator.summary('test');
  if (load?.saturated) out.warn(renderGeneratorTable([load]));
  const runDir = manager.runDir(run.id);
  out.warn(`Run ${run.id}${run.cancelled ? ' (cancelled)' : ''} stored in ${runDir ?? ''}`);
  if (reportFile !== undefined && run.persisted && runDir !== undefined) out.warn(writeReport([runDir], reportFile));
  for (const error of run.toJson().errors) out.warn(`error: ${error}`);
  if (interrupted.count > 0) return ExitCode.ABORTED;
  if (run.errors.length > 0) return ExitCode.RUN_FAILED;
  return run.generator.saturated(measured) ? ExitCode.GENERATOR_SATURATED : ExitCode.OK;
}
