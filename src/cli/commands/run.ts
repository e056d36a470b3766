/**
 * `hyperfoil run FILE`: validates the benchmark, runs it with an embedded controller and one in-process agent,
 * shows progress, then prints the statistics and SLA failures and stores the run under `<root>/run/<id>/`.
 * The exit code tells the outcome (see exit-codes.ts).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmarkFile } from '../../config/index.js';
import { RunManager } from '../../controller/index.js';
import type { Run } from '../../controller/index.js';
import { inVmDeployer } from '../../deploy/index.js';
import { ExampleServerError, startExampleServer } from '../../example-server/index.js';
import { validateBenchmark } from '../../agent/index.js';
import { noRequestSucceeded, pendingRequests } from '../../stats/index.js';
import { formatProblem, HyperfoilError } from '../../lib/index.js';
import { fromIntendedStartJson, slaVerdictsJson, StatsSnapshot, toSummary } from '../../stats/index.js';
import type { RequestStats } from '../../stats/index.js';
import { flag, parseArgs, templateParams, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { EXTENSION_FLAG, extensionsOf } from './extension-flag.js';
import { renderGeneratorTable } from '../format/generator-table.js';
import { renderSlaList } from '../format/sla-list.js';
import { renderProtocolsLine } from '../format/protocols-line.js';
import { renderStatsTable } from '../format/stats-table.js';
import type { Output } from '../output.js';
import { figuresKey, PROGRESS_TICK_MS, progressLines, ProgressPrinter, storeLastSecond } from '../progress.js';
import { writeReport } from './report-file.js';

const FLAGS: FlagSpec[] = [
  { name: 'param', short: 'P', value: 'NAME=VALUE', repeatable: true, description: 'template parameter (repeatable)' },
  { name: 'root-dir', value: 'DIR', description: `where runs are stored (default ${join(tmpdir(), 'hyperfoil')})` },
  { name: 'description', short: 'd', value: 'TEXT', description: 'description stored with the run' },
  { name: 'example-server', description: 'start the bundled example server (:8080, :8084) for the duration of the run' },
  { name: 'report', value: 'FILE', description: 'also write the HTML report of the run to FILE' },
  { name: 'wide', description: 'the summary with every column (default: fitted to 120 columns, all-zero columns hidden)' },
  { ...EXTENSION_FLAG, description: `${EXTENSION_FLAG.description}; those in <root-dir>/extensions/ are loaded too` },
  { name: 'quiet', short: 'q', description: 'no progress while running' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const RUN_USAGE = usage('run FILE [-P NAME=VALUE ...] [--root-dir DIR] [--extension PATH ...] [--report FILE] [--wide]',
  'Runs a benchmark on this machine and prints its statistics. Exit codes: 0 passed, 1 SLA failed, 2 usage, '
  + '3 invalid benchmark, 4 the run failed, 5 the load generator saturated, 130 interrupted.', FLAGS);

export const DEFAULT_ROOT_DIR = join(tmpdir(), 'hyperfoil');

export async function runCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(RUN_USAGE);
    return ExitCode.OK;
  }
  const [file, ...extra] = args.positional;
  if (!file || extra.length > 0) throw new UsageError(`run takes one benchmark file\n\n${RUN_USAGE}`);
  const rootDir = flag(args, 'root-dir') ?? DEFAULT_ROOT_DIR;
  const extensions = await extensionsOf(args, rootDir);
  const benchmark = validateBenchmark(loadBenchmarkFile(file, { params: templateParams(args.flags.get('param')) }));
  for (const warning of benchmark.warnings) out.warn(`warning: ${formatProblem(warning)}`);
  if (benchmark.agents.length > 0) {
    out.warn(`${file}: this benchmark declares agents; \`hyperfoil run\` runs on this machine only. `
      + 'Remove `agents:` or start a clustered controller (`hyperfoil controller`).');
    return ExitCode.INVALID_BENCHMARK;
  }
  const exampleServer = flag(args, 'example-server') ? await startBundledExampleServer() : undefined;
  try {
    const manager = new RunManager({
      rootDir, deployer: inVmDeployer(extensions), mode: 'standalone',
      allowBenchmarkHooks: true, // the operator gave this file: its hooks are the operator's
      render: () => benchmark, // `run` reads the file itself (its data files come from the disk)
    });
    const description = flag(args, 'description');
    const run = manager.startRun(benchmark, description !== undefined ? { description } : {});
    const interrupted = watchInterrupts(run, out);
    const progress = new ProgressPrinter(process.stderr, !flag(args, 'quiet'));
    const ticker = setInterval(() => {
      const nowMs = Date.now();
      const json = run.toJson();
      const lastSecond = storeLastSecond(run.store, nowMs);
      progress.update(progressLines(json, lastSecond, nowMs, progress.columns), nowMs, figuresKey(json, lastSecond));
    }, PROGRESS_TICK_MS);
    try {
      await manager.whenStored(run.id);
    } finally {
      clearInterval(ticker); // nothing may keep the process alive once the run has ended, however it ended
      progress.done();
      interrupted.dispose();
    }
    const where = run.persisted ? `stored in ${manager.runDir(run.id) ?? ''}` : 'NOT stored (see the error below)';
    out.info(`Run ${run.id} of ${benchmark.name}${run.cancelled ? ' (cancelled)' : ''}, ${where}`);
    const wide = flag(args, 'wide') !== undefined;
    const colour = process.stdout.isTTY === true;
    const measured = (phase: string): boolean => !run.store.isWarmup(phase);
    const generatorLate = run.generator.saturated(measured);
    out.info(renderStatsTable(run.store.totalWithIntendedStart(), {
      ...(wide ? {} : { fitCols: SUMMARY_WIDTH_COLS }), total: totalRow(run), colour, failures: false,
      ...(wide || generatorLate ? { fromIntendedStart: true } : {}),
    }));
    const protocols = renderProtocolsLine(run.connections.summary('total'));
    if (protocols !== '') out.info(protocols);
    const generator = renderGeneratorTable(run.generator.summaries(measured));
    if (generator !== '') out.info(generator);
    const slas = renderSlaList(slaVerdictsJson(run.store));
    if (slas !== '') out.info(slas);
    for (const failure of run.store.failures) out.info(`${failure.metric === null ? failure.phase : `${failure.phase}/${failure.metric}`}: ${failure.message}`);
    for (const error of run.toJson().errors) out.warn(`error: ${error}`);
    for (const { phase, pending } of pendingRequests(run.store.total())) {
      out.info(`${phase}: ${pending} requests were still pending (sent or waiting for a connection) when the phase ended; `
        + 'their sessions were cancelled at its maxDuration (default: duration + requestTimeout)');
    }
    const reportFile = flag(args, 'report');
    const runDir = manager.runDir(run.id);
    if (reportFile !== undefined && run.persisted && runDir !== undefined) {
      out.info(writeReport([runDir], reportFile));
    }
    const nothingSucceeded = interrupted.count > 0 || run.errors.length > 0 ? null : noRequestSucceeded(run.store.total());
    if (nothingSucceeded !== null) out.warn(`error: ${nothingSucceeded}`);
    const code = interrupted.count > 0 ? ExitCode.ABORTED
      : run.errors.length > 0 || nothingSucceeded !== null ? ExitCode.RUN_FAILED
        : run.generator.saturated(measured) ? ExitCode.GENERATOR_SATURATED
          : run.store.failures.length > 0 ? ExitCode.SLA_FAILED : ExitCode.OK;
    out.info(verdictLine(code, run, colour, nothingSucceeded ?? undefined));
    return code;
  } catch (error) {
    if (error instanceof HyperfoilError) throw error;
    throw new HyperfoilError('RUN_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    await exampleServer?.close();
  }
}

/** The example server for --example-server; a port already taken is a one-line error, not a stack trace. */
async function startBundledExampleServer(): Promise<Awaited<ReturnType<typeof startExampleServer>>> {
  try {
    return await startExampleServer({ quiet: true, log: () => {} });
  } catch (error) {
    if (!(error instanceof ExampleServerError)) throw error;
    const why = error.code === 'PORT_IN_USE' ? error.message.replace(/\. Stop the other process.*$/, '') : error.message;
    throw new HyperfoilError('EXAMPLE_SERVER_FAILED', `--example-server: ${why}; stop the process that holds the port, `
      + 'or start `hyperfoil example-server` yourself and run without --example-server');
  }
}

/** `run`'s summary fits this many columns unless --wide. */
const SUMMARY_WIDTH_COLS = 120;

/** All measured metrics together; its percentiles come from their merged histograms. */
function totalRow(run: Run): RequestStats | undefined {
  const measured = run.store.entries().filter((data) => !run.store.isWarmup(data.phase));
  if (measured.length < 2) return undefined;
  const merged = new StatsSnapshot('float64');
  for (const data of measured) merged.add(data.total);
  const row: RequestStats = { phase: 'TOTAL', stepId: 0, metric: '', summary: toSummary(merged), failedSLAs: [], isWarmup: false };
  const intended = fromIntendedStartJson(merged);
  if (intended !== undefined) row.fromIntendedStart = intended;
  return row;
}

/** The last line: PASSED, or FAILED and why (the same reasons as the exit code). */
function verdictLine(code: number, run: Run, colour: boolean, failedBecause?: string): string {
  const paint = (text: string, ansi: string): string => (colour ? `\x1b[${ansi}m${text}\x1b[0m` : text);
  if (code === ExitCode.OK) return paint('PASSED', '1;32');
  const why = code === ExitCode.ABORTED ? 'interrupted; the statistics so far are above'
    : code === ExitCode.RUN_FAILED ? `the run failed: ${failedBecause ?? run.errors[0]?.message ?? ''}${run.errors.length > 1 ? ` (and ${run.errors.length - 1} more errors)` : ''}`
      : code === ExitCode.GENERATOR_SATURATED ? 'the load generator saturated (the message above says how late it was and which latencies include that)'
        : `${run.store.failures.length} SLA failure${run.store.failures.length === 1 ? '' : 's'} (listed above)`;
  return `${paint('FAILED', '1;31')}: ${why}`;
}

/** First Ctrl+C (or SIGTERM) stops the run gracefully and keeps what was measured; a second one exits at once. */
export function watchInterrupts(run: Run, out: Output): { count: number; dispose(): void } {
  const state = { count: 0, dispose: () => {} };
  const onSignal = (signal: NodeJS.Signals): void => {
    state.count++;
    if (state.count === 1) {
      out.warn(`\n${signal}: stopping the run; statistics so far will be kept (press Ctrl+C again to quit at once)`);
      run.kill(`interrupted by ${signal}`);
    } else {
      process.exit(ExitCode.ABORTED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  state.dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return state;
}
