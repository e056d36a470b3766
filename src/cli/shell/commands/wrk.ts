/**
 * `wrk` and `wrk2` in the shell, as in Hyperfoil's: the same options and report as `hyperfoil wrk`/`wrk2`, run on
 * the shell's local controller (started with `start-local` in the default root when the shell is not connected),
 * so the run is listed with the others (`runs`, `stats`, `export`). A remote controller is refused: the report
 * needs the run's histograms, which only the local controller holds.
 */
import { DEFAULT_ROOT_DIR } from '../../commands/run.js';
import { COMMON_FLAGS, executeWrk, WRK2_FLAGS, wrkOptionsOf } from '../../commands/wrk.js';
import { ExitCode } from '../../exit-codes.js';
import { commandHelp, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';
import { startLocalController } from '../local-controller.js';

/** The flags of the one-shot commands, less the ones that choose where the run is stored. */
const shellFlags = (flags: typeof COMMON_FLAGS): typeof COMMON_FLAGS => flags.filter((f) => f.name !== 'root-dir');

function wrkShellCommand(wrk2: boolean): ShellCommand {
  const name = wrk2 ? 'wrk2' : 'wrk';
  const command: ShellCommand = {
    name,
    summary: wrk2
      ? 'constant request rate on one URL with wrk2\'s options and report (-R), on the local controller'
      : 'closed-loop load on one URL with wrk\'s options and report, on the local controller',
    synopsis: `${wrk2 ? '-R RATE ' : ''}[-c 10] [-t 2] [-d 10s] [--warmup-duration 6s] [-H "K: V"]... [--timeout 60s] [--latency] URL`,
    flags: shellFlags(wrk2 ? WRK2_FLAGS : COMMON_FLAGS),
    async run(cx, args) {
      const parsed = wrkOptionsOf(args, wrk2);
      if (parsed === 'help') {
        cx.terminal.info(commandHelp(command));
        return;
      }
      const local = await localController(cx);
      const code = await executeWrk(local.controller.runs, parsed.options, {
        latency: parsed.latency, wrk2, description: `${name} ${parsed.options.url}`, watchSignals: false,
        ...(parsed.reportFile !== undefined ? { reportFile: parsed.reportFile } : {}),
      }, { info: (text) => cx.terminal.info(text), warn: (text) => cx.terminal.warn(text) });
      const last = local.controller.runs.list().at(-1);
      if (last !== undefined) cx.lastRun = last.id;
      cx.runExitCode = code;
      if (code === ExitCode.RUN_FAILED) throw new ShellError(`the ${name} run failed (see the errors above)`);
    },
  };
  return command;
}

/** The shell's local controller: started (and connected to) when the shell is not connected to any. */
async function localController(cx: ShellContext): Promise<NonNullable<ShellContext['local']>> {
  if (cx.local) return cx.local;
  if (cx.client) {
    throw new ShellError('wrk and wrk2 run on a local controller; this shell is connected to a remote one: '
      + '`start-local` first, or upload a benchmark and `run` it there');
  }
  cx.local = await startLocalController(DEFAULT_ROOT_DIR, 'INFO');
  await cx.connect({ host: cx.local.host, port: cx.local.port, tls: false }, { quiet: true });
  return cx.local;
}

export const wrkCommand = wrkShellCommand(false);
export const wrk2Command = wrkShellCommand(true);
