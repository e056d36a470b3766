/**
 * A real `hyperfoil standalone` process on 127.0.0.1 and a free port, for tests that attack it over HTTP and must
 * see whether the process is still alive afterwards.
 */
import type { ChildProcess } from 'node:child_process';
import { rawRequest } from '../../src/controller/rest/test-support.js';
import { startCli } from './cli.js';
import type { CliResult } from './cli.js';

export interface Standalone {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** What it printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<CliResult>;
}

const START_TIMEOUT_MS = 20_000;

/** `hyperfoil standalone` (or `verb`, e.g. `controller`) on 127.0.0.1 and a free port. */
export async function startStandalone(rootDir: string, extraArgs: readonly string[] = [], verb = 'standalone'): Promise<Standalone> {
  const { child, result } = startCli([verb, '--port', '0', '--root-dir', rootDir, ...extraArgs]);
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${verb} did not start within ${START_TIMEOUT_MS} ms:\n${printed}`)), START_TIMEOUT_MS);
    const look = () => {
      const match = /listening on (http:\/\/[^\s;]+)/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${verb} exited with ${code} before listening:\n${printed}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => printed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await result;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * One request with node:http, sending the target exactly as given (no normalisation of `..` or `%2F`), from an
 * optional local loopback address; the body is read as UTF-8 text.
 */
export async function send(
  url: string, method: string, target: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; localAddress?: string } = {},
): Promise<Answer> {
  const { body, ...rest } = options;
  const answer = await rawRequest(url, method, target, { ...rest, ...(body !== undefined ? { body: Buffer.from(body) } : {}) });
  return { status: answer.status, headers: answer.headers, text: answer.body.toString('utf8') };
}
