/**
 * A running controller: the benchmark store, the run manager and the REST API on one port. `standalone`,
 * `controller` and the shell's `start-local` all start it; only the deployer and the mode differ.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { COMMIT, VERSION } from '../lib/index.js';
import type { Deployer } from './agent-connection.js';
import { BenchmarkStore } from './benchmark-store.js';
import { fileLogger, LOG_LEVELS } from './file-logger.js';
import { startRestServer, stderrLogger } from './rest/index.js';
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
  /** Run benchmarks' own `pre:`/`post:` shell hooks (`--allow-hooks`); off: such benchmarks are refused. */
  readonly allowHooks?: boolean;
  /** More host names the REST API answers under (`--allowed-host`, the advertised URL's host). */
  readonly allowedHosts?: readonly string[];
  /** See RunOptions.agentResponseTimeoutMs. */
  readonly agentResponseTimeoutMs?: number;
  readonly logFile?: string;
  /** Directory whose benchmarks may be uploaded by `text/uri-list`. */
  readonly loadDir?: string;
  /** Hyperfoil's `io.hyperfoil.trigger.url`: runs are started by a CI job (a benchmark's `triggerUrl` wins). */
  readonly triggerUrl?: string;
  /** Where an agent's log can be read on the controller, for `GET /log/{agent}`. */
  readonly agentLogFile?: (agent: string) => string | undefined;
  readonly log?: Logger;
  /**
   * Called when the controller closes, after the current run has ended and before the REST server closes: the agent
   * hub ends its WebSockets here (the HTTP server would otherwise wait for them).
   */
  readonly beforeClose?: () => Promise<void>;
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
  const allowHooks = options.allowHooks === true;
  const store = new BenchmarkStore(options.rootDir, { allowHooks });
  const runs = new RunManager({
    rootDir: options.rootDir,
    allowBenchmarkHooks: allowHooks,
    deployer: options.deployer,
    mode: options.mode,
    render: (stored, params) => store.render(stored, params),
    ...(options.deployTimeoutMs !== undefined ? { deployTimeoutMs: options.deployTimeoutMs } : {}),
    ...(options.agentResponseTimeoutMs !== undefined ? { agentResponseTimeoutMs: options.agentResponseTimeoutMs } : {}),
  });
  const deploymentId = randomUUID();
  // By default the log (served by GET /log) gets every message, and standard error the warnings and errors.
  const logFile = options.logFile ?? join(options.rootDir, 'hyperfoil.log');
  const toFile = fileLogger(logFile, LOG_LEVELS.info);
  const log: Logger = options.log ?? ((level, message) => {
    toFile(level, message);
    stderrLogger(level, message);
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (async () => {
    await runs.shutdown();
    await options.beforeClose?.();
    await rest.close();
  })());
  const rest = await startRestServer({
    host: options.host,
    port: options.port,
    store,
    runs,
    version: () => ({ version: VERSION, commitId: COMMIT, deploymentId }),
    logFile,
    onShutdown: () => void close().then(() => options.onShutdown?.()),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    log,
    // The in-vm agent of a standalone controller logs in the controller's process, so its log is the controller's.
    agentLogFile: options.agentLogFile ?? ((agent: string) => (options.mode === 'standalone' && agent === 'in-vm' ? logFile : undefined)),
    ...(options.loadDir !== undefined ? { loadDir: options.loadDir } : {}),
    ...(options.triggerUrl !== undefined ? { triggerUrl: options.triggerUrl } : {}),
  });
  return { url: rest.url, port: rest.port, store, runs, rest, close };
}
