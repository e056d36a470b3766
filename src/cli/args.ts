/**
 * A small command-line parser shared by every subcommand: long and short flags, `--flag=value`,
 * repeatable `-P NAME=VALUE`, and positional arguments. Unknown flags are errors that list the valid ones.
 */
import { HyperfoilError, didYouMean } from '../lib/index.js';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  /** A flag that takes a value (`--port 8090`); otherwise it is a boolean switch. */
  readonly value?: string;
  readonly repeatable?: boolean;
  readonly description: string;
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, readonly string[]>;
  readonly positional: readonly string[];
}

export class UsageError extends HyperfoilError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inlineValue: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inlineValue = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown option \`--${name}\`.${didYouMean(name, byName.keys()).replace(/`(\w[\w-]*)`/g, '`--$1`')}`.replace(/\.$/, ''));
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg.slice(1, 2);
      spec = byShort.get(short);
      if (!spec) throw new UsageError(`unknown option \`-${short}\``);
      if (arg.length > 2) inlineValue = arg.slice(2); // -PNAME=VALUE
    } else {
      positional.push(arg);
      continue;
    }
    let value = 'true';
    if (spec.value) {
      if (inlineValue !== undefined) value = inlineValue;
      else if (i + 1 < argv.length) value = argv[++i] as string;
      else throw new UsageError(`option \`--${spec.name}\` needs a value (${spec.value})`);
    } else if (inlineValue !== undefined) {
      throw new UsageError(`option \`--${spec.name}\` takes no value`);
    }
    const existing = flags.get(spec.name);
    if (existing && !spec.repeatable) throw new UsageError(`option \`--${spec.name}\` given twice`);
    flags.set(spec.name, [...(existing ?? []), value]);
  }
  return { flags, positional };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

/** `-P NAME=VALUE` pairs into a record; a pair without `=` is a usage error. */
export function templateParams(values: readonly string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of values ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`template parameter \`${pair}\` must be NAME=VALUE`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

export function usage(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const lines = [`Usage: hyperfoil ${command}`, '', summary, ''];
  if (specs.length > 0) lines.push('Options:');
  for (const spec of specs) {
    const names = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
    lines.push(`  ${names.padEnd(30)} ${spec.description}`);
  }
  return lines.join('\n');
}
