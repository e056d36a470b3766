/**
 * The shell fed by a pipe or a file: one command per line, plain output, live views printed once when the run is
 * over. The first failing command stops the script (unless `--keep-going`) and the exit code tells which kind of
 * failure it was: 2 usage, 3 invalid benchmark, 4 anything else; 130 after Ctrl+C. When every command succeeded,
 * the outcome of the last run `wait` saw end: 1 failed SLA, 4 failed run, 5 saturated load generator.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ExitCode } from '../exit-codes.js';
import type { FailureKind } from './command.js';
import { ShellContext } from './context.js';
import { execute } from './registry.js';
import { shutDownLocal } from './session-end.js';
import { pipeTerminal } from './terminal.js';
import type { Terminal } from './terminal.js';

const EXIT_BY_KIND: Readonly<Record<FailureKind, number>> = {
  usage: ExitCode.USAGE,
  benchmark: ExitCode.INVALID_BENCHMARK,
  failed: ExitCode.RUN_FAILED,
};

export interface ScriptOptions {
  readonly input?: Readable;
  readonly terminal?: Terminal;
  readonly keepGoing?: boolean;
}

export async function scriptShell(options: ScriptOptions = {}): Promise<number> {
  const terminal = options.terminal ?? pipeTerminal();
  const cx = new ShellContext(terminal);
  const rl = createInterface({ input: options.input ?? process.stdin, terminal: false, crlfDelay: Infinity });
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    cx.interrupt();
    if (interrupts > 1) process.exit(ExitCode.ABORTED);
    terminal.warn('Interrupted: stopping after the current command (Ctrl+C again to quit at once).');
  };
  process.on('SIGINT', onSignal);
  let firstFailure: { line: number; text: string; kind: FailureKind } | undefined;
  let lineNumber = 0;
  try {
    for await (const line of rl) {
      lineNumber++;
      const outcome = await execute(cx, line);
      if (interrupts > 0) break;
      if (!outcome.ok) {
        firstFailure ??= { line: lineNumber, text: line.trim(), kind: outcome.kind ?? 'failed' };
        if (!options.keepGoing) break;
      }
      if (cx.exitRequested) break;
    }
  } finally {
    rl.close();
    process.off('SIGINT', onSignal);
    await shutDownLocal(cx);
  }
  if (interrupts > 0) return ExitCode.ABORTED;
  if (firstFailure) {
    terminal.warn(`hyperfoil cli: line ${firstFailure.line} failed: \`${firstFailure.text}\`${options.keepGoing ? '' : '; the commands after it were not run'}`);
    return EXIT_BY_KIND[firstFailure.kind];
  }
  return cx.runExitCode ?? ExitCode.OK;
}
