/**
 * `hyperfoil standalone`: a controller with one in-process agent (`in-vm`), serving Hyperfoil's REST API until
 * Ctrl+C or `GET /shutdown`. Benchmarks with `agents:` are refused, as Hyperfoil does.
 */
import { startController } from '../../controller/index.js';
import { inVmDeployer } from '../../deploy/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec, ParsedArgs } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { EXTENSION_FLAG, extensionsOf } from './extension-flag.js';
import { DEFAULT_ROOT_DIR } from './run.js';

export const CONTROLLER_FLAGS: FlagSpec[] = [
  { name: 'host', value: 'HOST', description: 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)' },
  { name: 'port', short: 'p', value: 'PORT', description: 'REST port (default 8090; 0 picks a free one)' },
  { name: 'root-dir', value: 'DIR', description: `benchmarks and runs (default ${DEFAULT_ROOT_DIR})` },
  { name: 'password', value: 'PASSWORD', description: 'require HTTP basic auth (or set HYPERFOIL_PASSWORD)' },
  { name: 'tls-cert', value: 'PEM', description: 'serve HTTPS with this certificate (with --tls-key)' },
  { name: 'tls-key', value: 'PEM', description: 'private key for --tls-cert' },
  { name: 'allowed-host', value: 'NAME', repeatable: true, description: 'also answer requests whose Host is NAME (repeatable; loopback names and IP addresses always are)' },
  { name: 'allow-hooks', description: 'run the pre/post shell hooks of uploaded benchmarks (off: such benchmarks are refused); see SECURITY.md' },
  { name: 'load-dir', value: 'DIR', description: 'directory whose benchmarks may be uploaded by file: URI (text/uri-list); off by default' },
  { name: 'trigger-url', value: 'URL', description: 'CI trigger: `start` answers 301 to URL + BENCHMARK=…&RUN_ID=… and the CI job starts the run (a benchmark\'s triggerUrl wins)' },
  { ...EXTENSION_FLAG, description: `${EXTENSION_FLAG.description}; those in <root-dir>/extensions/ are loaded too` },
  { name: 'help', short: 'h', description: 'show this help' },
];

const STANDALONE_USAGE = usage('standalone [--host H] [--port 8090] [--root-dir DIR]',
  'Starts a controller with one in-process agent and serves the REST API until Ctrl+C.', CONTROLLER_FLAGS);

export function portOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got \`${text}\``);
  return port;
}

export function tlsOf(cert: string | undefined, key: string | undefined): { certFile: string; keyFile: string } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  return { certFile: cert, keyFile: key };
}

/** The options `standalone` and `controller` share about who may use the controller. */
export function accessOf(args: ParsedArgs, extraHosts: readonly string[] = []): { allowHooks: boolean; allowedHosts: string[]; loadDir?: string; triggerUrl?: string } {
  const loadDir = flag(args, 'load-dir');
  const triggerUrl = flag(args, 'trigger-url');
  return {
    allowHooks: flag(args, 'allow-hooks') !== undefined, allowedHosts: [...(args.flags.get('allowed-host') ?? []), ...extraHosts],
    ...(loadDir !== undefined ? { loadDir } : {}),
    ...(triggerUrl !== undefined ? { triggerUrl } : {}),
  };
}

/**
 * How long closing the controller may take (a run in progress is killed and its agents get SHUTDOWN_GRACE_MS to
 * stop) before the process exits anyway.
 */
export const SHUTDOWN_DEADLINE_MS = 15_000;
/** After the controller closed, how long the process may take to exit by itself before it is made to. */
const EXIT_LINGER_MS = 2000;

/**
 * Waits for SIGINT/SIGTERM (or `onShutdown`) and closes the controller. One signal is enough: the shutdown is
 * bounded by SHUTDOWN_DEADLINE_MS; a second signal exits at once.
 */
export function serveUntilStopped(close: () => Promise<void>, out: Output): { stopped: Promise<number>; stop: () => void } {
  let stop: () => void = () => {};
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        out.warn(`${signal} again: exiting now`);
        process.exit(ExitCode.ABORTED);
      }
      out.warn(`${signal}: shutting down`);
      stop();
    };
    const finish = (code: number): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code);
      // Something left holding the event loop (a socket that never closed) must not keep a stopped controller alive.
      setTimeout(() => process.exit(code), EXIT_LINGER_MS).unref();
    };
    stop = () => {
      if (stopping) return;
      stopping = true;
      const deadline = setTimeout(() => {
        out.warn(`the controller did not close within ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting anyway`);
        finish(ExitCode.RUN_FAILED);
      }, SHUTDOWN_DEADLINE_MS);
      void close().then(
        () => { clearTimeout(deadline); finish(ExitCode.OK); },
        (error: unknown) => {
          clearTimeout(deadline);
          out.warn(`error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
          finish(ExitCode.RUN_FAILED);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { stopped, stop: () => stop() };
}

export async function standaloneCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, CONTROLLER_FLAGS);
  if (flag(args, 'help')) {
    out.info(STANDALONE_USAGE);
    return ExitCode.OK;
  }
  if (args.positional.length > 0) throw new UsageError(`standalone takes no arguments\n\n${STANDALONE_USAGE}`);
  const password = flag(args, 'password') ?? process.env.HYPERFOIL_PASSWORD;
  const tls = tlsOf(flag(args, 'tls-cert'), flag(args, 'tls-key'));
  const rootDir = flag(args, 'root-dir') ?? DEFAULT_ROOT_DIR;
  const extensions = await extensionsOf(args, rootDir);
  let serving: { stopped: Promise<number>; stop: () => void } | undefined;
  const controller = await startController({
    mode: 'standalone',
    deployer: inVmDeployer(extensions),
    rootDir,
    host: flag(args, 'host') ?? '127.0.0.1',
    port: portOf(flag(args, 'port'), 8090),
    ...accessOf(args),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
    onShutdown: () => serving?.stop(),
  });
  out.info(`Hyperfoil controller (standalone, agent in-vm) listening on ${controller.url}`);
  serving = serveUntilStopped(() => controller.close(), out);
  return serving.stopped;
}
