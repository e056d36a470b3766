/**
 * The interactive shell on a terminal: node:readline with the prompt, tab completion and a history kept across
 * sessions in `~/.hyperfoil/history` (or `$HYPERFOIL_HOME/history`). Ctrl+C stops a live view or a question and
 * clears the line at the prompt; it never leaves the shell. Ctrl+D or `exit` leaves.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import { ExitCode } from '../exit-codes.js';
import { complete } from './completion.js';
import { ShellContext } from './context.js';
import { execute } from './registry.js';
import { shutDownLocal } from './session-end.js';
import type { Terminal } from './terminal.js';

export const HISTORY_SIZE = 1000;

export function historyFile(): string {
  return join(process.env.HYPERFOIL_HOME ?? join(homedir(), '.hyperfoil'), 'history');
}

/** Oldest first in the file; readline wants newest first. */
function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(path: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${[...history].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // history is a convenience: a read-only home must not break the shell
  }
}

interface Hidden {
  /** Typed characters are not echoed (a password). */
  on: boolean;
  /** A question is being answered: the answer is no command and stays out of the history. */
  asking: boolean;
}

function terminalFor(rl: Interface, hidden: Hidden, signal: () => AbortSignal): Terminal {
  return {
    interactive: true,
    info: (text) => void process.stdout.write(`${text}\n`),
    warn: (text) => void process.stdout.write(`${text}\n`),
    write: (text) => void process.stdout.write(text),
    get columns() {
      return process.stdout.columns || 80;
    },
    ask(question, options = {}) {
      return new Promise<string | undefined>((resolve) => {
        const abort = signal();
        if (abort.aborted) {
          resolve(undefined);
          return;
        }
        const onAbort = (): void => {
          hidden.on = false;
          hidden.asking = false;
          process.stdout.write('\n');
          resolve(undefined);
        };
        abort.addEventListener('abort', onAbort, { once: true });
        hidden.asking = true;
        rl.question(question, { signal: abort }, (answer) => {
          hidden.on = false;
          hidden.asking = false;
          const history = (rl as unknown as { history: string[] }).history;
          if (history[0] === answer) history.shift();
          abort.removeEventListener('abort', onAbort);
          resolve(answer);
        });
        hidden.on = options.hidden === true; // after the question is on screen
      });
    },
    async handOver(use) {
      const ignore = (): void => {};
      process.on('SIGINT', ignore); // Ctrl+C belongs to the editor now
      rl.pause();
      process.stdin.setRawMode?.(false);
      try {
        return await use();
      } finally {
        process.stdin.setRawMode?.(true);
        rl.resume();
        process.off('SIGINT', ignore);
      }
    },
  };
}

export function interactiveShell(): Promise<number> {
  const path = historyFile();
  const hidden: Hidden = { on: false, asking: false };
  let cx: ShellContext | undefined;
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history: loadHistory(path),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
      const result = complete(cx!, line);
      if (Array.isArray(result)) callback(null, result);
      else result.then((r) => callback(null, r), () => callback(null, [[], line]));
    },
  });
  // Typed characters of a password are not echoed.
  const write = (rl as unknown as { _writeToOutput(text: string): void })._writeToOutput.bind(rl);
  (rl as unknown as { _writeToOutput(text: string): void })._writeToOutput = (text: string) => {
    if (!hidden.on) write(text);
    else if (/[\r\n]/.test(text)) write('\n');
  };
  cx = new ShellContext(terminalFor(rl, hidden, () => cx!.signal));
  const context = cx;
  let busy = false;
  rl.on('history', (history: string[]) => {
    if (!hidden.asking) saveHistory(path, history);
  });
  rl.on('SIGINT', () => {
    if (busy) {
      context.interrupt();
      return;
    }
    // As a shell does: what was typed stays on screen, marked ^C, and a fresh prompt follows.
    rl.write(null, { ctrl: true, name: 'e' });
    process.stdout.write('^C\n');
    const state = rl as unknown as { line: string; cursor: number; prevRows?: number };
    state.line = '';
    state.cursor = 0;
    if (state.prevRows !== undefined) state.prevRows = 0;
    rl.prompt();
  });
  rl.on('line', (line: string) => {
    if (busy) return; // typed while a command runs (its questions use rl.question): dropped
    busy = true;
    void execute(context, line).then(() => {
      busy = false;
      if (context.exitRequested) {
        rl.close();
        return;
      }
      rl.setPrompt(context.prompt);
      rl.prompt();
    });
  });
  return new Promise<number>((resolve) => {
    rl.on('close', () => {
      context.interrupt();
      process.stdout.write('\n');
      void shutDownLocal(context).then(() => resolve(ExitCode.OK));
    });
    rl.setPrompt(context.prompt);
    rl.prompt();
  });
}
