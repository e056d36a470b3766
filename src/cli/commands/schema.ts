/** `hyperfoil schema [--extension PATH ...]`: print the JSON Schema of the benchmark format, for editors. */
import { benchmarkJsonSchema } from '../../config/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { EXTENSION_FLAG, extensionsOf } from './extension-flag.js';

const FLAGS: FlagSpec[] = [
  { ...EXTENSION_FLAG, description: 'describe this extension\'s steps, actions and processors too (repeatable)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

const SCHEMA_USAGE = usage('schema [--extension PATH ...]', 'Prints the JSON Schema of the benchmark format (for editors).', FLAGS);

export async function schemaCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(SCHEMA_USAGE);
    return ExitCode.OK;
  }
  if (args.positional.length > 0) throw new UsageError(`schema takes no arguments\n\n${SCHEMA_USAGE}`);
  await extensionsOf(args);
  out.info(JSON.stringify(benchmarkJsonSchema(), null, 2));
  return ExitCode.OK;
}
