/** `hyperfoil validate FILE [-P NAME=VALUE ...]`: check a benchmark without running it. */
import { loadBenchmarkFile } from '../../config/index.js';
import { describeBenchmark } from '../../config/describe.js';
import { validateBenchmark } from '../../agent/index.js';
import { formatProblem } from '../../lib/index.js';
import { flag, parseArgs, templateParams, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { EXTENSION_FLAG, extensionsOf } from './extension-flag.js';
import type { Output } from '../output.js';

const FLAGS: FlagSpec[] = [
  { name: 'param', short: 'P', value: 'NAME=VALUE', repeatable: true, description: 'template parameter (repeatable)' },
  EXTENSION_FLAG,
  { name: 'quiet', short: 'q', description: 'print nothing when the benchmark is valid' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const VALIDATE_USAGE = usage('validate FILE [-P NAME=VALUE ...] [--extension PATH ...]',
  'Reads a benchmark, reports every problem with file:line:column, and prints a one-line summary when it is valid.', FLAGS);

export async function validateCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(VALIDATE_USAGE);
    return ExitCode.OK;
  }
  const [file, ...extra] = args.positional;
  if (!file || extra.length > 0) throw new UsageError(`validate takes one benchmark file\n\n${VALIDATE_USAGE}`);
  await extensionsOf(args);
  const benchmark = validateBenchmark(loadBenchmarkFile(file, { params: templateParams(args.flags.get('param')) }));
  for (const warning of benchmark.warnings) out.warn(`warning: ${formatProblem(warning)}`);
  if (!flag(args, 'quiet')) out.info(`${benchmark.name}: valid, ${describeBenchmark(benchmark)}`);
  return ExitCode.OK;
}
