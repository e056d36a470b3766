/**
 * The state of one shell session: the controller it talks to (and the one it embeds after `start-local`), the
 * benchmark and run it last worked with, the template parameters it remembers, and the signal that Ctrl+C raises
 * to stop a live view.
 */
import type { Controller, RunJson } from '../../controller/index.js';
import { COMMIT } from '../../lib/index.js';
import { ControllerClient, ControllerError, DEFAULT_REQUEST_TIMEOUT_MS, parseVersion } from './client.js';
import type { ClientOptions } from './client.js';
import { ShellError } from './command.js';
import { paint } from './terminal.js';
import type { Terminal } from './terminal.js';

export const DEFAULT_HOST = 'localhost';
export const DEFAULT_PORT = 8090;

export interface LocalController {
  readonly controller: Controller;
  readonly rootDir: string;
  readonly host: string;
  readonly port: number;
}

export function requestTimeoutMs(): number {
  const text = process.env.IO_HYPERFOIL_CLI_REQUEST_TIMEOUT;
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_REQUEST_TIMEOUT_MS;
}

export class ShellContext {
  client: ControllerClient | undefined;
  local: LocalController | undefined;
  lastBenchmark: string | undefined;
  lastRun: string | undefined;
  /** Template parameters given to `run`; kept for the next `run` until `-r`. */
  params: Record<string, string> = {};
  /** Set by `exit`/`quit`. */
  exitRequested = false;
  /** The outcome of the last run `wait` saw end (ExitCode): a script exits with it when no command failed. */
  runExitCode: number | undefined;
  /** Controllers' log slices already fetched, per log (`controller` or an agent name). */
  readonly logs = new Map<string, { id: string | undefined; text: string }>();
  private abort = new AbortController();

  constructor(readonly terminal: Terminal) {}

  /** Raised by Ctrl+C: live views stop, requests in flight are dropped. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** A fresh signal for the next command. */
  beginCommand(): void {
    this.abort = new AbortController();
  }

  interrupt(): void {
    this.abort.abort();
  }

  get interrupted(): boolean {
    return this.abort.signal.aborted;
  }

  /** `[hyperfoil]$ `, `[hyperfoil@in-vm]$ ` with the embedded controller, `[hyperfoil@host]$ ` otherwise. */
  get prompt(): string {
    const label = this.hostLabel();
    return label === undefined ? '[hyperfoil]$ ' : `[hyperfoil@${label}]$ `;
  }

  private hostLabel(): string | undefined {
    const client = this.client;
    if (!client) return undefined;
    if (this.local && client.address.host === this.local.host && client.address.port === this.local.port) return 'in-vm';
    const host = client.address.host;
    return /^[\d.]+$/.test(host) || host.includes(':') ? host : host.split('.')[0];
  }

  /** The client, connecting to localhost:8090 first when there is none (as Hyperfoil's CLI does). */
  async ensureClient(): Promise<ControllerClient> {
    if (this.client) return this.client;
    this.terminal.info(`Not connected; connecting to ${DEFAULT_HOST}:${DEFAULT_PORT}...`);
    await this.connect({ host: DEFAULT_HOST, port: DEFAULT_PORT, tls: false, ...passwordFromEnv() });
    return this.client!;
  }

  /**
   * Connects: asks the controller its version, warns when its clock is off (the `x-epoch-millis` header against our
   * clock around the request) or when it runs another build. On 401 a terminal user is asked for the password.
   */
  async connect(options: Omit<ClientOptions, 'timeoutMs'>, how: { quiet?: boolean } = {}): Promise<void> {
    let client = new ControllerClient({ ...options, timeoutMs: requestTimeoutMs() });
    let answer;
    try {
      answer = await client.version(this.signal);
    } catch (error) {
      if (!(error instanceof ControllerError) || error.status !== 401 || options.password !== undefined) throw this.connectFailure(client, error);
      const password = await this.terminal.ask(`Password for ${client.url}: `, { hidden: true });
      if (password === undefined) throw this.connectFailure(client, error);
      client = new ControllerClient({ ...options, password, timeoutMs: requestTimeoutMs() });
      try {
        answer = await client.version(this.signal);
      } catch (retryError) {
        throw this.connectFailure(client, retryError);
      }
    }
    const version = parseVersion(answer);
    this.client = client;
    if (!how.quiet) this.terminal.info('Connected!');
    const serverMs = Number(answer.headers['x-epoch-millis'] ?? version.serverTime);
    if (Number.isFinite(serverMs) && (serverMs < answer.sentMs || serverMs > answer.receivedMs)) {
      const offMs = Math.round((answer.sentMs + answer.receivedMs) / 2 - serverMs);
      this.terminal.warn(paint(this.terminal, 'yellow',
        `WARNING: the controller's clock is ${Math.abs(offMs)} ms ${offMs > 0 ? 'behind' : 'ahead of'} this machine's; `
        + 'start and end times shown here are the controller\'s.'));
    }
    if (version.commitId !== undefined && version.commitId !== COMMIT && version.commitId !== 'unknown' && COMMIT !== 'unknown') {
      this.terminal.warn(paint(this.terminal, 'yellow',
        `WARNING: the controller runs build ${version.commitId} (version ${version.version}), this shell build ${COMMIT}.`));
    }
  }

  private connectFailure(client: ControllerClient, error: unknown): ShellError {
    const message = error instanceof Error ? error.message : String(error);
    return new ShellError(message.includes(client.url) ? message : `failed connecting to ${client.url}: ${message}`, 'failed', { cause: error });
  }

  disconnect(): void {
    this.client = undefined;
  }

  /** The benchmark named, or the last one uploaded or run; fails with a hint when there is none. */
  benchmarkName(given: string | undefined): string {
    const name = given ?? this.lastBenchmark;
    if (name === undefined) {
      throw new ShellError('no benchmark given, and none was uploaded or used in this session: name one, or `upload FILE` first', 'usage');
    }
    return name;
  }

  /** The run named (`last` allowed), or the last one started or looked at. */
  runId(given: string | undefined): string {
    const id = given ?? this.lastRun;
    if (id === undefined) throw new ShellError('no run given, and none was started or looked at in this session: give a run id (see `runs`)', 'usage');
    return id;
  }

  /** Fetches a run, with a clear message for an unknown id; remembers it as the current run. */
  async fetchRun(given: string | undefined): Promise<RunJson> {
    const client = await this.ensureClient();
    const id = this.runId(given);
    try {
      const run = await client.run(id, this.signal);
      this.lastRun = run.id;
      return run;
    } catch (error) {
      if (error instanceof ControllerError && error.status === 404) {
        throw new ShellError(`there is no run \`${id}\` on ${client.url}; \`runs\` lists them`);
      }
      throw error;
    }
  }
}

export function passwordFromEnv(): { password?: string } {
  const password = process.env.HYPERFOIL_PASSWORD;
  return password ? { password } : {};
}
