/**
 * Template parameters as `run` and `inspect` take them, with Hyperfoil's rules: the shell remembers the last
 * ones; `-PNAME=VALUE` sets, `-PNAME=` sets empty, `-PNAME` forgets one; `-E A,B` sets several empty; `-r` starts
 * over.
 */
import type { FlagSpec, ParsedArgs } from '../args.js';
import { ShellError } from './command.js';

export const paramFlags: readonly FlagSpec[] = [
  { name: 'param', short: 'P', value: 'NAME=VALUE', repeatable: true, description: 'template parameter; -PNAME forgets a remembered one' },
  { name: 'empty-params', short: 'E', value: 'A,B', repeatable: true, description: 'template parameters set to the empty string' },
  { name: 'reset-params', short: 'r', description: 'forget the parameters remembered from earlier runs' },
];

export function resolveParams(current: Readonly<Record<string, string>>, args: ParsedArgs): Record<string, string> {
  const params: Record<string, string> = args.flags.has('reset-params') ? {} : { ...current };
  for (const entry of args.flags.get('param') ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (name === '') throw new ShellError(`template parameter \`${entry}\` has no name: write -PNAME=VALUE`, 'usage');
    if (eq < 0) delete params[name];
    else params[name] = entry.slice(eq + 1);
  }
  for (const list of args.flags.get('empty-params') ?? []) {
    for (const name of list.split(',').map((n) => n.trim()).filter((n) => n !== '')) params[name] = '';
  }
  return params;
}
