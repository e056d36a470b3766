/** What a shell command is: its name, options, how its arguments complete, and what it does. */
import { HyperfoilError } from '../../lib/index.js';
import type { FlagSpec, ParsedArgs } from '../args.js';
import type { ShellContext } from './context.js';

/** What a positional argument names, for tab completion. */
export type Completion = 'benchmark' | 'run' | 'file' | 'command' | readonly string[];

export interface ShellCommand {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** Arguments after the name, e.g. `[RUN_ID] [-t] [-w]`. */
  readonly synopsis: string;
  readonly flags: readonly FlagSpec[];
  /** Completion of each positional argument, in order. */
  readonly complete?: readonly Completion[];
  run(cx: ShellContext, args: ParsedArgs): Promise<void>;
}

/** Which kind of failure, so that a script's exit code tells usage, invalid benchmark and other failures apart. */
export type FailureKind = 'usage' | 'benchmark' | 'failed';

/** A command failed; the message says why and what to do. */
export class ShellError extends HyperfoilError {
  readonly kind: FailureKind;

  constructor(message: string, kind: FailureKind = 'failed', options?: { cause?: unknown }) {
    super(`SHELL_${kind.toUpperCase()}`, message, options);
    this.kind = kind;
  }
}

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', description: 'show what this command does and its options' };

/** The help text of one command. */
export function commandHelp(command: ShellCommand): string {
  const names = [command.name, ...(command.aliases ?? [])].join(', ');
  const lines = [`${command.name} ${command.synopsis}`.trimEnd(), '', `${command.summary}${command.aliases?.length ? ` (also: ${names})` : ''}`];
  const flags = command.flags.filter((f) => f.name !== 'help');
  if (flags.length > 0) {
    lines.push('', 'Options:');
    for (const spec of flags) {
      const head = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
      lines.push(`  ${head.padEnd(28)} ${spec.description}`);
    }
  }
  return lines.join('\n');
}
