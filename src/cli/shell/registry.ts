/** Every shell command, `help`, and running one command line. */
import { didYouMean, HyperfoilError } from '../../lib/index.js';
import { parseArgs, UsageError } from '../args.js';
import { ControllerError } from './client.js';
import { commandHelp, HELP_FLAG, ShellError } from './command.js';
import type { FailureKind, ShellCommand } from './command.js';
import type { ShellContext } from './context.js';
import { editCommand } from './commands/edit.js';
import { forgetCommand, infoCommand, inspectCommand, loadCommand, newCommand, uploadCommand } from './commands/benchmarks.js';
import { connectCommand, exitCommand, shutdownCommand, startLocalCommand, versionCommand } from './commands/connection.js';
import { exportCommand, logCommand, reportCommand } from './commands/results.js';
import { killCommand, runCommand, runsCommand, statusCommand, waitCommand } from './commands/runs.js';
import { compareCommand, connectionsCommand, cpuCommand, sessionsCommand, statsCommand } from './commands/views.js';
import { wrk2Command, wrkCommand } from './commands/wrk.js';
import { tokenize } from './tokenize.js';

const helpCommand: ShellCommand = {
  name: 'help',
  summary: 'list the commands, or explain one',
  synopsis: '[COMMAND]',
  complete: ['command'],
  flags: [HELP_FLAG],
  run(cx, args) {
    const [name] = args.positional;
    if (name === undefined) {
      cx.terminal.info(overview());
      return Promise.resolve();
    }
    cx.terminal.info(commandHelp(findCommand(name)));
    return Promise.resolve();
  },
};

export const COMMANDS: readonly ShellCommand[] = [
  startLocalCommand, connectCommand, uploadCommand, loadCommand, runCommand, statusCommand, statsCommand, sessionsCommand,
  connectionsCommand, cpuCommand, waitCommand, killCommand, runsCommand, infoCommand, inspectCommand, exportCommand,
  reportCommand, logCommand, compareCommand, forgetCommand, newCommand, editCommand, versionCommand, shutdownCommand,
  wrkCommand, wrk2Command, helpCommand, exitCommand,
];

const BY_NAME = new Map<string, ShellCommand>(COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => [n, c] as const)));

/** Every name a command can be typed as, sorted (for completion). */
export const COMMAND_NAMES: readonly string[] = [...BY_NAME.keys()].sort();

export function findCommand(name: string): ShellCommand {
  const command = BY_NAME.get(name);
  if (!command) throw new ShellError(`unknown command \`${name}\`.${didYouMean(name, BY_NAME.keys())} Type \`help\` for the list.`, 'usage');
  return command;
}

export function lookupCommand(name: string): ShellCommand | undefined {
  return BY_NAME.get(name);
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Commands (`help COMMAND` or `COMMAND --help` for its options):',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export interface Outcome {
  readonly ok: boolean;
  readonly kind?: FailureKind;
}

function kindOf(error: unknown): FailureKind {
  if (error instanceof ShellError) return error.kind;
  if (error instanceof UsageError) return 'usage';
  return 'failed';
}

/** Runs one line; prints what went wrong instead of throwing. An empty line or a comment does nothing. */
export async function execute(cx: ShellContext, line: string): Promise<Outcome> {
  let name: string | undefined;
  try {
    const [first, ...argv] = tokenize(line);
    name = first;
    if (name === undefined) return { ok: true };
    const command = findCommand(name);
    const args = parseArgs(argv, command.flags);
    if (args.flags.has('help')) {
      cx.terminal.info(commandHelp(command));
      return { ok: true };
    }
    cx.beginCommand();
    await command.run(cx, args);
    return { ok: true };
  } catch (error) {
    const kind = kindOf(error);
    if (error instanceof ControllerError && error.code === 'INTERRUPTED') {
      cx.terminal.warn('Interrupted.');
      return { ok: false, kind };
    }
    if (!(error instanceof HyperfoilError)) {
      cx.terminal.warn(`${name ?? 'hyperfoil'}: unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { ok: false, kind: 'failed' };
    }
    const prefix = name !== undefined && BY_NAME.has(name) ? `${name}: ` : '';
    cx.terminal.warn(`${prefix}${error.message}${error instanceof UsageError && prefix !== '' ? ` (see \`help ${name}\`)` : ''}`);
    return { ok: false, kind };
  }
}
