/**
 * A running controller: the benchmark store, the run manager and the REST API on one port. `standalone`,
 * `controller` and the shell's `start-local` all start it; only the deployer and the mode differ.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { COMMIT, VERSION } from '../lib/index.js';
import type { Deployer } from './agent-connection.js';
import { BenchmarkStore } from './benchmark-store.js';
import { startRestServer } from './rest/index.js';
import type { Logger, RestServer } from './rest/index.js';
import { RunManager } from './run-manager.js';
import type { ControllerMode } from './run-manager.js';

export interface ControllerOptions {
  readonly mode: ControllerMode;
  readonly deployer: Deployer;
  readonly rootDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly password?: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly deployTimeoutMs?: number;
  readonly logFile?: string;
  readonly log?: Logger;
  /** Called after `GET /shutdown` (the controller has already closed). */
  readonly onShutdown?: () => void;
}

export interface Controller {
  readonly url: string;
  readonly port: number;
  readonly store: BenchmarkStore;
  readonly runs: RunManager;
  readonly rest: RestServer;
  /** Kills a run in progress (it is still stored), then closes the server. */
  close(): Promise<void>;
}

export async function startController(options: ControllerOptions): Promise<Controller> {
  const store = new BenchmarkStore(options.rootDir);
  const runs = new RunManager({
    rootDir: options.rootDir,
    deployer: options.deployer,
    mode: options.mode,
    render: (stored, params) => store.render(stored, params),
    ...(options.deployTimeoutMs !== undefined ? { deployTimeoutMs: options.deployTimeoutMs } : {}),
  });
  const deploymentId = randomUUID();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (async () => {
    await runs.shutdown();
    await rest.close();
  })());
  const rest = await startRestServer({
    host: options.host,
    port: options.port,
    store,
    runs,
    version: () => ({ version: VERSION, commitId: COMMIT, deploymentId }),
    logFile: options.logFile ?? join(options.rootDir, 'hyperfoil.log'),
    onShutdown: () => void close().then(() => options.onShutdown?.()),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  return { url: rest.url, port: rest.port, store, runs, rest, close };
}
