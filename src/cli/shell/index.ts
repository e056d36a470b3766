/**
 * `hyperfoil cli`: Hyperfoil's interactive shell, talking to a controller over its REST API only. On a terminal it
 * is interactive (prompt, completion, history, live views); fed by a pipe it runs one command per line.
 */
import { flag, parseArgs, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { commandHelp } from './command.js';
import { COMMANDS } from './registry.js';
import { interactiveShell } from './repl.js';
import { scriptShell } from './script.js';

export { ControllerClient, ControllerError } from './client.js';
export type { ClientOptions, ControllerAddress } from './client.js';
export { COMMANDS, execute } from './registry.js';
export { ShellContext } from './context.js';
export { scriptShell } from './script.js';
export { tokenize } from './tokenize.js';
export { commandHelp };

const FLAGS: FlagSpec[] = [
  { name: 'keep-going', description: 'in a script, run the commands after a failed one too (the exit code still tells)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

function usageText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: hyperfoil cli [--keep-going]',
    '',
    'Hyperfoil\'s shell: drives a controller over its REST API. On a terminal it is interactive (tab completion,',
    'history in ~/.hyperfoil/history, live status); otherwise it reads one command per line from stdin, e.g.',
    '  printf \'start-local\\nupload x.hf.yaml\\nrun\\nwait\\nstats\\n\' | hyperfoil cli',
    'A script stops at the first failed command; exit codes: 0 ok, 2 usage, 3 invalid benchmark, 4 other failure, 130 Ctrl+C.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '      --keep-going    in a script, go on after a failed command',
  ].join('\n');
}

export async function shellCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(usageText());
    return ExitCode.OK;
  }
  if (args.positional.length > 0) throw new UsageError('cli takes no arguments: type commands into it (or pipe them in)');
  if (process.stdin.isTTY && process.stdout.isTTY) return interactiveShell();
  return scriptShell({ keepGoing: flag(args, 'keep-going') !== undefined });
}
