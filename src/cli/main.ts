/** The `hyperfoil` command: dispatches to a subcommand and returns the process exit code. */
import { BenchmarkError, COMMIT, didYouMean, HyperfoilError, VERSION } from '../lib/index.js';
import { exampleServerCommand } from '../example-server/index.js';
import { UsageError } from './args.js';
import { agentCommand } from './commands/agent.js';
import { controllerCommand } from './commands/controller.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { standaloneCommand } from './commands/standalone.js';
import { validateCommand } from './commands/validate.js';
import { shellCommand } from './shell/index.js';
import { wrk2Command, wrkCommand } from './commands/wrk.js';
import { ExitCode } from './exit-codes.js';
import { consoleOutput } from './output.js';
import type { Output } from './output.js';

type Command = (argv: readonly string[], out: Output) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  cli: { run: shellCommand, summary: 'the interactive shell (start-local, connect, upload, run, status, stats, ...) over the REST API' },
  run: { run: runCommand, summary: 'run a benchmark on this machine and print its statistics' },
  report: { run: reportCommand, summary: 'write the HTML report of a stored run, or of two side by side (--compare A B)' },
  standalone: { run: standaloneCommand, summary: 'controller with an in-process agent, serving the REST API (default :8090)' },
  controller: { run: controllerCommand, summary: 'clustered controller: REST API plus agents deployed per run (ssh, local or by hand)' },
  agent: { run: (argv, out) => agentCommand(argv, out), summary: 'an agent process that joins a clustered controller (normally started by a deployer)' },
  validate: { run: validateCommand, summary: 'check a benchmark file and summarise its phases' },
  schema: { run: schemaCommand, summary: 'print the JSON Schema of the benchmark format' },
  wrk: { run: wrkCommand, summary: 'closed-loop load on one URL with wrk\'s options and output' },
  wrk2: { run: wrk2Command, summary: 'constant-rate load on one URL with wrk2\'s options and output (-R)' },
  'example-server': { run: (argv) => exampleServerCommand([...argv]), summary: 'start the demo target the examples and quickstarts hit (:8080, :8084)' },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: hyperfoil <command> [options]',
    '',
    'A distributed HTTP load driver compatible with Hyperfoil benchmarks.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `hyperfoil <command> --help` for the options of a command, `hyperfoil --version` for the version.',
  ].join('\n');
}

export async function main(argv: readonly string[], out: Output = consoleOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.info(help());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    out.info(`hyperfoil ${VERSION} (commit ${COMMIT})`);
    return ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    out.warn(`hyperfoil: unknown command \`${name}\`.${didYouMean(name, Object.keys(COMMANDS))}`.replace(/\.$/, ''));
    out.warn('Run `hyperfoil --help` for the list of commands.');
    return ExitCode.USAGE;
  }
  try {
    return await command.run(rest, out);
  } catch (error) {
    if (error instanceof BenchmarkError) {
      out.warn(error.message);
      return ExitCode.INVALID_BENCHMARK;
    }
    if (error instanceof UsageError) {
      out.warn(`hyperfoil ${name}: ${error.message}`);
      return ExitCode.USAGE;
    }
    if (error instanceof HyperfoilError) {
      out.warn(`hyperfoil ${name}: ${error.message}`);
      return ExitCode.RUN_FAILED;
    }
    throw error;
  }
}
