/**
 * `start-local`: a controller embedded in the shell process, with the in-process agent `in-vm`, listening on
 * 127.0.0.1 on a free port. Its log goes to `<root>/hyperfoil.local.log` (served by `GET /log`, so `log` shows it).
 * With `--clustered` it is a clustered controller instead: each run deploys the agents its benchmark declares as
 * local processes that dial the controller's agent hub (as `hyperfoil controller --deployer local`).
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgentHub, fileLogger, LOG_LEVELS as LEVELS, startController } from '../../controller/index.js';
import { inVmDeployer, localDeployer } from '../../deploy/index.js';
import { ShellError } from './command.js';
import type { LocalController } from './context.js';

export const LOCAL_HOST = '127.0.0.1';
export const LOCAL_LOG_FILE = 'hyperfoil.local.log';


/** Hyperfoil's log levels (log4j names) → the least severe level written. */
export function logThreshold(level: string): number {
  const name = level.toLowerCase();
  if (name === 'trace' || name === 'debug' || name === 'info' || name === 'all') return LEVELS.info;
  if (name === 'warn' || name === 'warning') return LEVELS.warn;
  if (name === 'error' || name === 'fatal') return LEVELS.error;
  if (name === 'off') return LEVELS.off;
  throw new ShellError(`unknown log level \`${level}\`: use TRACE, DEBUG, INFO, WARN, ERROR or OFF`, 'usage');
}

export async function startLocalController(rootDir: string, logLevel: string, allowHooks = false, clustered = false): Promise<LocalController> {
  const root = resolve(rootDir);
  const threshold = logThreshold(logLevel);
  try {
    if (!statSync(root).isDirectory()) throw new ShellError(`${root} exists but is not a directory: give another root directory`);
  } catch (error) {
    if (error instanceof ShellError) throw error;
    // does not exist yet: created below
  }
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    throw new ShellError(`cannot create the root directory ${root}: ${(error as Error).message}`);
  }
  const logFile = join(root, LOCAL_LOG_FILE);
  const log = fileLogger(logFile, threshold);
  const hub = clustered ? new AgentHub({ log }) : undefined;
  let hubUrl = '';
  const cluster = hub === undefined ? undefined : localDeployer({ hub, rootDir: root, controllerUrl: () => hubUrl });
  const controller = await startController({
    mode: clustered ? 'clustered' : 'standalone',
    deployer: cluster ?? inVmDeployer(),
    rootDir: root,
    host: LOCAL_HOST,
    port: 0,
    allowHooks,
    logFile,
    log,
    ...(cluster !== undefined ? { agentLogFile: (agent: string) => cluster.agentLogFile(agent), beforeClose: async () => {
      await hub?.close();
      await cluster.close();
    } } : {}),
  });
  if (hub !== undefined) {
    hub.attach(controller.rest.server);
    hubUrl = `http://${LOCAL_HOST}:${controller.port}`;
  }
  return { controller, rootDir: root, host: LOCAL_HOST, port: controller.port };
}
