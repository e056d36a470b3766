/** A clustered controller for tests: REST server and agent hub on 127.0.0.1, port 0, with a chosen deployer. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchmark } from '../../src/config/index.js';
import type { Benchmark } from '../../src/config/index.js';
import { AgentHub, startController } from '../../src/controller/index.js';
import type { AgentHubOptions, Controller, Deployer, Run } from '../../src/controller/index.js';
import type { ClusterDeployer } from '../../src/deploy/index.js';

export interface TestCluster {
  readonly controller: Controller;
  readonly hub: AgentHub;
  readonly url: string;
  readonly deployer: Deployer & Partial<ClusterDeployer>;
  /** Starts a run of `yaml` (parsed here) and returns it. */
  start(yaml: string): Run;
  close(): Promise<void>;
}

export async function startTestCluster(options: {
  rootDir: string;
  deployer: (hub: AgentHub, controllerUrl: () => string) => Deployer & Partial<ClusterDeployer>;
  hub?: AgentHubOptions;
  deployTimeoutMs?: number;
  tls?: { certFile: string; keyFile: string };
}): Promise<TestCluster> {
  const hub = new AgentHub({ log: process.env.HF_TEST_LOG ? (l, m) => console.error(l, m) : () => {}, ...options.hub });
  let url = '';
  const deployer = options.deployer(hub, () => url);
  const controller = await startController({
    mode: 'clustered', deployer, rootDir: options.rootDir, host: '127.0.0.1', port: 0,
    log: () => {},
    beforeClose: () => hub.close(),
    ...(options.deployTimeoutMs !== undefined ? { deployTimeoutMs: options.deployTimeoutMs } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(deployer.agentLogFile ? { agentLogFile: (agent: string) => deployer.agentLogFile?.(agent) } : {}),
  });
  hub.attach(controller.rest.server);
  url = controller.url;
  return {
    controller, hub, url, deployer,
    start(yaml: string): Run {
      const benchmark: Benchmark = parseBenchmark(yaml, { fileName: `${options.rootDir}/test.hf.yaml` });
      return controller.runs.startRun(benchmark);
    },
    async close() {
      await controller.close();
      await deployer.close?.();
    },
  };
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Per agent, the largest MaxSessions in `<runDir>/stats/<phase>.sessions.csv`. */
export function maxSessionsByAgent(runDir: string, phase: string): Record<string, number> {
  const rows = readFileSync(join(runDir, 'stats', `${phase}.sessions.csv`), 'utf8').trim().split('\n').slice(1);
  const max: Record<string, number> = {};
  for (const row of rows) {
    const [, agent = '', , maxSessions = '0'] = row.split(',');
    max[agent] = Math.max(max[agent] ?? 0, Number(maxSessions));
  }
  return max;
}
