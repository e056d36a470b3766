/**
 * For tests: runs the built `hyperfoil cli` as a real process fed by a pipe, and drives it in a real terminal
 * under tmux. Not used by the product.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const HYPERFOIL_BIN = join(REPO_ROOT, 'bin', 'hyperfoil.js');

export interface ShellResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Feeds `lines` to `hyperfoil cli` on stdin and collects what it prints; killed after `timeoutMs`. */
export function runShell(lines: readonly string[], options: {
  args?: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number;
} = {}): Promise<ShellResult> {
  const child = spawn(process.execPath, [HYPERFOIL_BIN, 'cli', ...(options.args ?? [])], {
    cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** A tmux server of our own (its own socket), so that nothing else running tmux is touched. */
export class TmuxSession {
  private readonly socket = `hf-shell-test-${process.pid}-${Date.now()}`;
  private readonly socketPath: string;

  constructor(command: string, options: { width?: number; height?: number; cwd?: string } = {}) {
    this.tmux('new-session', '-d', '-s', 'hf', '-x', String(options.width ?? 200), '-y', String(options.height ?? 50),
      '-c', options.cwd ?? REPO_ROOT, command);
    this.socketPath = this.tmux('display-message', '-p', '-t', 'hf', '#{socket_path}').trim();
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Keys as tmux names them (`Enter`, `Tab`, `C-c`), or literal text with `literal`. */
  send(keys: string, options: { literal?: boolean } = {}): void {
    this.tmux('send-keys', '-t', 'hf', ...(options.literal ? ['-l'] : []), keys);
  }

  type(text: string): void {
    this.send(text, { literal: true });
  }

  /** The visible pane, trailing blank lines removed. */
  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'hf').replace(/\s+$/, '');
  }

  alive(): boolean {
    try {
      this.tmux('has-session', '-t', 'hf');
      return true;
    } catch {
      return false;
    }
  }

  /** Polls the pane until `test` holds; fails with the pane's content after `timeoutMs`. */
  async waitFor(test: (pane: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let pane = '';
      try {
        pane = this.capture();
      } catch {
        // the session has ended (or not started yet): an empty pane
      }
      if (test(pane)) return pane;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the pane shows:\n${pane}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops our tmux server (and the shell in it) and removes its socket file. */
  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}
