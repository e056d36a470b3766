/**
 * `hyperfoil report RUN_DIR|RUN_ID [-o FILE]`: the HTML report of a stored run, one self-contained file; with
 * `--compare A B`, two runs side by side. Also used by `run --report` and `wrk -o` (writeReport).
 */
import { join, resolve } from 'node:path';
import { isRunId } from '../../controller/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { openInBrowser } from '../open-in-browser.js';
import type { Output } from '../output.js';
import { resolveRunDir, writeReport } from './report-file.js';
import { DEFAULT_ROOT_DIR } from './run.js';

const FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', value: 'FILE', description: 'where to write the report (default: report.html in the run directory; for --compare, A-vs-B.html here)' },
  { name: 'root-dir', value: 'DIR', description: `where runs are stored, to find a run by id (default ${DEFAULT_ROOT_DIR})` },
  { name: 'open', description: 'open the report in the desktop\'s browser (xdg-open, open) when there is one' },
  { name: 'compare', description: 'two runs side by side: report --compare A B (changes relative to A)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const REPORT_USAGE = usage('report RUN_DIR|RUN_ID [-o FILE] [--root-dir DIR] [--open] | report --compare A B [-o FILE] [--open]',
  'Writes the HTML report of a stored run: one self-contained file that opens in any browser without network.', FLAGS);

export function reportCommand(argv: readonly string[], out: Output): number {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(REPORT_USAGE);
    return ExitCode.OK;
  }
  const compare = flag(args, 'compare') !== undefined;
  const wanted = compare ? 2 : 1;
  if (args.positional.length !== wanted) {
    throw new UsageError(`${compare ? 'report --compare takes two runs' : 'report takes one run'}\n\n${REPORT_USAGE}`);
  }
  const rootDir = flag(args, 'root-dir') ?? DEFAULT_ROOT_DIR;
  const dirs = args.positional.map((arg) => resolveRunDir(arg, rootDir));
  const ids = args.positional.map((arg, i) => (isRunId(arg.toUpperCase()) ? arg.toUpperCase() : String(i + 1)));
  const file = resolve(flag(args, 'output') ?? (compare ? `${ids[0]}-vs-${ids[1]}.html` : join(dirs[0]!, 'report.html')));
  out.info(writeReport(dirs, file));
  if (flag(args, 'open') !== undefined) out.info(openInBrowser(file));
  return ExitCode.OK;
}
