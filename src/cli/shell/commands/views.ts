/** Statistics views: `stats`, `sessions`, `connections`, `cpu`, `compare`. */
import { flag } from '../../args.js';
import { renderStatsTable } from '../../format/stats-table.js';
import { ControllerError } from '../client.js';
import type { MinMax } from '../client.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';
import { liveView } from '../live.js';
import { otherExtensions, renderComparison, renderCpu, renderExtensions, renderMinMax } from '../stats-format.js';

const RUN_ARG = ['run'] as const;

export const statsCommand: ShellCommand = {
  name: 'stats',
  summary: 'request statistics: the last second while the run goes (refreshed), the whole run once it is over',
  synopsis: '[RUN_ID] [-t] [-w] [-e KEY|A,B|all]',
  complete: RUN_ARG,
  flags: [
    { name: 'total', short: 't', description: 'statistics of the whole run so far rather than the last second' },
    { name: 'warmup', short: 'w', description: 'include warm-up phases' },
    { name: 'extensions', short: 'e', value: 'KEYS', description: 'show these extension counters (a key, a comma-separated list, or all)' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const run = await cx.fetchRun(args.positional[0]);
    const total = flag(args, 'total') !== undefined;
    const warmup = flag(args, 'warmup') !== undefined;
    const extensions = flag(args, 'extensions');
    await liveView(cx, async () => {
      let stats = await client.stats(run.id, total ? 'total' : 'recent', cx.signal);
      const done = stats.status === 'TERMINATED';
      if (done && !total) stats = await client.stats(run.id, 'total', cx.signal);
      const rows = stats.statistics.filter((r) => warmup || !r.isWarmup);
      const lines = [`${total || done ? 'Total' : 'Recent'} stats from run ${run.id}`];
      if (extensions !== undefined) {
        lines.push(renderExtensions(rows, extensions));
      } else {
        const others = otherExtensions(rows);
        if (others.length > 0) lines.push(`Extensions (use -e to show): ${others.join(', ')}`);
        lines.push(renderStatsTable(rows, { warmup: true }));
      }
      return { text: lines.join('\n'), done };
    });
  },
};

async function minMaxView(
  cx: ShellContext, args: Parameters<ShellCommand['run']>[1], what: 'sessions' | 'connections',
  render: (data: Readonly<Record<string, Readonly<Record<string, MinMax>>>>) => string,
): Promise<void> {
  const client = await cx.ensureClient();
  const run = await cx.fetchRun(args.positional[0]);
  const total = flag(args, 'total') !== undefined;
  await liveView(cx, async () => {
    const current = await cx.fetchRun(run.id);
    const done = current.terminated !== undefined;
    let data;
    try {
      data = await client[what](run.id, total || done ? 'total' : 'recent', cx.signal);
    } catch (error) {
      if (error instanceof ControllerError && error.status === 404) {
        throw new ShellError(`the controller has no ${what} statistics for run ${run.id} (it keeps them for recent runs only)`);
      }
      throw error;
    }
    const empty = Object.values(data).every((group) => Object.keys(group).length === 0);
    const title = `${total || done ? 'Total' : 'Recent'} ${what} of run ${run.id}${done ? ' (it has ended)' : ''}`;
    return { text: empty ? `${title}: none recorded.` : `${title}\n${render(data)}`, done };
  });
}

export const sessionsCommand: ShellCommand = {
  name: 'sessions',
  summary: 'fewest and most sessions in use per phase and agent, refreshed while the run goes',
  synopsis: '[RUN_ID] [--total]',
  complete: RUN_ARG,
  flags: [{ name: 'total', description: 'over the whole run rather than the last period' }, HELP_FLAG],
  run: (cx, args) => minMaxView(cx, args, 'sessions', (data) => renderMinMax(data, 'PHASE', 'AGENT')),
};

export const connectionsCommand: ShellCommand = {
  name: 'connections',
  aliases: ['conns'],
  summary: 'fewest and most connections per target and kind, refreshed while the run goes',
  synopsis: '[RUN_ID] [--total]',
  complete: RUN_ARG,
  flags: [{ name: 'total', description: 'over the whole run rather than the last period' }, HELP_FLAG],
  run: (cx, args) => minMaxView(cx, args, 'connections', (data) => renderMinMax(data, 'AUTHORITY', 'TYPE')),
};

export const cpuCommand: ShellCommand = {
  name: 'cpu',
  summary: 'CPU use of each agent per phase',
  synopsis: '[RUN_ID]',
  complete: RUN_ARG,
  flags: [HELP_FLAG],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const run = await cx.fetchRun(args.positional[0]);
    const data = await client.agentCpu(run.id);
    cx.terminal.info(Object.keys(data).length === 0 ? `No CPU figures for run ${run.id}.` : renderCpu(data));
  },
};

export const compareCommand: ShellCommand = {
  name: 'compare',
  summary: 'differences between the total statistics of two finished runs (second minus first, % of the first)',
  synopsis: 'RUN_ID RUN_ID [--threshold 0.05] [-w]',
  complete: ['run', 'run'],
  flags: [
    { name: 'threshold', value: 'RATIO', description: 'relative difference that gets coloured (default 0.05)' },
    { name: 'warmup', short: 'w', description: 'include warm-up phases' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    if (args.positional.length !== 2) throw new ShellError('compare takes two run ids', 'usage');
    const threshold = Number(flag(args, 'threshold') ?? 0.05);
    if (!Number.isFinite(threshold) || threshold < 0) throw new ShellError('--threshold must be a number ≥ 0, e.g. 0.05', 'usage');
    const client = await cx.ensureClient();
    const warmup = flag(args, 'warmup') !== undefined;
    const runs = [];
    for (const id of args.positional) {
      const run = await cx.fetchRun(id);
      if (run.terminated === undefined) throw new ShellError(`run ${run.id} has not ended yet: \`wait ${run.id}\` first`);
      runs.push(run);
    }
    const [first, second] = await Promise.all(runs.map(async (r) => (await client.stats(r.id, 'total', cx.signal)).statistics
      .filter((s) => warmup || !s.isWarmup)));
    cx.terminal.info(`Comparing run ${runs[1]!.id} with run ${runs[0]!.id} (changes relative to ${runs[0]!.id})`);
    cx.terminal.info(renderComparison(first!, second!, threshold, cx.terminal));
  },
};
