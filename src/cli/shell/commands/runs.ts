/** Commands that start and follow runs: `run`, `status`, `wait`, `kill`, `runs`. */
import { scanTemplate } from '../../../controller/index.js';
import { flag } from '../../args.js';
import type { ParsedArgs } from '../../args.js';
import { ControllerError } from '../client.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';
import { formatDate, renderRuns, renderStatus } from '../format.js';
import { liveView, pause } from '../live.js';
import { paramFlags, resolveParams } from '../params.js';
import { runOutcome } from '../run-outcome.js';
import { paint } from '../terminal.js';
import { benchmarkFailure, known } from './common.js';

const RUN_ARG = ['run'] as const;

async function showStatus(cx: ShellContext, runId: string, args: ParsedArgs | undefined): Promise<void> {
  const all = args !== undefined && flag(args, 'all') !== undefined;
  const errors = args === undefined || flag(args, 'no-errors') === undefined;
  await liveView(cx, async () => {
    const run = await cx.fetchRun(runId);
    return { text: renderStatus(run, { all, errors, terminal: cx.terminal }), done: run.terminated !== undefined };
  });
}

export const runCommand: ShellCommand = {
  name: 'run',
  summary: 'start a run of a benchmark (the last uploaded by default), then follow its status',
  synopsis: '[BENCHMARK] [-d DESCRIPTION] [-PNAME=VALUE...] [-E A,B] [-r]',
  complete: ['benchmark'],
  flags: [
    { name: 'description', short: 'd', value: 'TEXT', description: 'description stored with the run' },
    ...paramFlags,
    HELP_FLAG,
  ],
  async run(cx, args) {
    if (args.positional.length > 1) throw new ShellError('run takes one benchmark name', 'usage');
    const client = await cx.ensureClient();
    const name = cx.benchmarkName(args.positional[0]);
    const source = await client.benchmarkSource(name, cx.signal);
    if (!source) throw new ShellError(`there is no benchmark \`${name}\` on ${client.url}${await known(cx)}`);
    const params = resolveParams(cx.params, args);
    const missing = [...scanTemplate(source.text).params]
      .filter(([param, byDefault]) => byDefault === undefined && !Object.hasOwn(params, param))
      .map(([param]) => param);
    for (const param of missing) {
      const value = await cx.terminal.ask(`${param}: `);
      if (value === undefined) {
        throw new ShellError(`${name} is a template and needs ${missing.map((p) => `-P${p}=VALUE`).join(' ')}`, 'usage');
      }
      params[param] = value;
    }
    const description = flag(args, 'description');
    let run;
    try {
      run = await client.start(name, description, params);
    } catch (error) {
      if (error instanceof ControllerError && error.status === 403) throw new ShellError(`cannot start ${name}: ${error.message}`);
      benchmarkFailure(error, `cannot start ${name}`);
    }
    cx.params = params;
    cx.lastBenchmark = name;
    if ('triggered' in run) {
      // Hyperfoil's CI flow: the controller reserved the run; the CI job starts it with `start?runId=`.
      cx.lastRun = run.triggered.id;
      cx.terminal.info(`Run ${run.triggered.id} is requested; the CI job starts it: ${run.triggered.location}`);
      return;
    }
    cx.lastRun = run.id;
    cx.terminal.info(`Started run ${run.id}`);
    if (cx.terminal.interactive) {
      await showStatus(cx, run.id, undefined);
    } else {
      // A script goes on at once (`wait` waits); the status as it is now:
      cx.terminal.info(renderStatus(await cx.fetchRun(run.id), { all: false, errors: true, terminal: cx.terminal }));
    }
  },
};

export const statusCommand: ShellCommand = {
  name: 'status',
  summary: 'the run\'s agents and phases, refreshed until it ends (Ctrl+C stops watching, not the run)',
  synopsis: '[RUN_ID] [-a] [-E]',
  complete: RUN_ARG,
  flags: [
    { name: 'all', short: 'a', description: 'also phases not started yet or already over' },
    { name: 'no-errors', short: 'E', description: 'do not list the run\'s errors' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const run = await cx.fetchRun(args.positional[0]);
    await showStatus(cx, run.id, args);
  },
};

/** Once terminated, a run is stored soon after; if it is not within this long, `wait` says so and returns. */
const PERSIST_WAIT_MS = 30_000;
const WAIT_POLL_MS = 250;

export const waitCommand: ShellCommand = {
  name: 'wait',
  summary: 'wait until a run has ended and its results are stored',
  synopsis: '[RUN_ID]',
  complete: RUN_ARG,
  flags: [HELP_FLAG],
  async run(cx, args) {
    let run = await cx.fetchRun(args.positional[0]);
    cx.terminal.info(`Waiting for run ${run.id} of ${run.benchmark} to end...`);
    let startedShown = false;
    let terminatedAt: number | undefined;
    for (;;) {
      if (!startedShown && run.started !== undefined) {
        startedShown = true;
        cx.terminal.info(`Started:    ${formatDate(run.started)}`);
      }
      if (terminatedAt === undefined && run.terminated !== undefined) {
        terminatedAt = Date.now();
        cx.terminal.info(`Terminated: ${formatDate(run.terminated)}${run.cancelled ? ' (cancelled)' : ''}`);
        if (run.errors.length > 0) cx.terminal.info([paint(cx.terminal, 'red', 'Errors:'), ...run.errors.map((e) => `  ${e}`)].join('\n'));
      }
      if (terminatedAt !== undefined && run.persisted) {
        cx.terminal.info(`Run ${run.id} is stored on the controller.`);
        const all = await (await cx.ensureClient()).statsAll(run.id, 'json');
        if (all !== undefined) {
          const outcome = runOutcome(all, run);
          cx.runExitCode = outcome.exitCode;
          cx.terminal.info(`Outcome:    ${outcome.text}`);
        }
        return;
      }
      if (terminatedAt !== undefined && Date.now() - terminatedAt > PERSIST_WAIT_MS) {
        throw new ShellError(`run ${run.id} ended but the controller has not stored its results after ${PERSIST_WAIT_MS / 1000} s; see \`log\``);
      }
      if (await pause(WAIT_POLL_MS, cx.signal)) {
        cx.terminal.info('Stopped waiting; the run goes on.');
        return;
      }
      try {
        run = await cx.fetchRun(run.id);
      } catch (error) {
        if (error instanceof ControllerError && error.code === 'INTERRUPTED') continue;
        throw error;
      }
    }
  },
};

export const killCommand: ShellCommand = {
  name: 'kill',
  summary: 'stop a run (asks first unless -y); what was measured is kept',
  synopsis: '[RUN_ID] [-y]',
  complete: RUN_ARG,
  flags: [{ name: 'yes', short: 'y', description: 'do not ask for confirmation' }, HELP_FLAG],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const run = await cx.fetchRun(args.positional[0]);
    if (run.terminated !== undefined) {
      cx.terminal.info(`Run ${run.id} has already ended.`);
      return;
    }
    if (flag(args, 'yes') === undefined) {
      const count = (status: string): number => run.phases.filter((p) => p.status === status).length;
      const question = `Kill run ${run.id}, benchmark ${run.benchmark} (phases: ${count('RUNNING')} running, ${count('FINISHED')} finished, `
        + `${count('TERMINATED')} terminated) [y/N]: `;
      if (!cx.terminal.interactive) throw new ShellError(`kill asks for confirmation, and nobody can answer in a script: use \`kill ${run.id} -y\``, 'usage');
      const answer = (await cx.terminal.ask(question))?.trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') {
        cx.terminal.info('Kill cancelled.');
        return;
      }
    }
    await client.kill(run.id);
    cx.terminal.info('Killed.');
  },
};

export const runsCommand: ShellCommand = {
  name: 'runs',
  summary: 'list the runs on the controller (+ completed, × cancelled, ! errors, ? going)',
  synopsis: '',
  flags: [HELP_FLAG],
  async run(cx) {
    const client = await cx.ensureClient();
    cx.terminal.info(renderRuns(await client.runs(cx.signal), cx.terminal));
  },
};
