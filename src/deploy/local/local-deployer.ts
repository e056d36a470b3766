/**
 * The `local` deployer: each agent is a child process of the controller (`node <repo>/bin/hyperfoil.js agent …`)
 * that dials the controller's agent hub like a remote one would, logging to `<rootDir>/agent.<name>.log`.
 * The agent's `cpu` property pins it with `taskset -c`, `extras` adds node options.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentHub } from '../../controller/index.js';
import type { LoadedExtension } from '../../extensions/index.js';
import { deployWithHub, LaunchedAgents } from '../agent-deploy.js';
import type { ClusterDeployer, DeployAgent, LaunchedAgent } from '../agent-deploy.js';
import { agentLogPath, existingAgentLog, splitExtras, tailOfFile } from '../agent-log.js';

/** The `hyperfoil` command of this installation (this module is `dist/src/deploy/local/local-deployer.js`). */
export const HYPERFOIL_BIN = fileURLToPath(new URL('../../../../bin/hyperfoil.js', import.meta.url));

export interface LocalDeployerOptions {
  readonly hub: AgentHub;
  /** Agents' logs go to `<rootDir>/agent.<name>.log`. */
  readonly rootDir: string;
  /** The controller URL agents dial (known once the controller listens). */
  readonly controllerUrl: () => string;
  /** SHA-256 of the controller's TLS certificate, for agents to trust a self-signed one. */
  readonly certSha256?: string;
  /** Compiled extensions: the agents, on this machine, load the very same files. */
  readonly extensions?: readonly LoadedExtension[];
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
}

function launchLocal(agent: DeployAgent, token: string, options: LocalDeployerOptions): LaunchedAgent {
  mkdirSync(options.rootDir, { recursive: true });
  const logFile = agentLogPath(options.rootDir, agent.name);
  const args = [
    ...splitExtras(agent.properties.extras), HYPERFOIL_BIN, 'agent',
    '--controller', options.controllerUrl(), '--name', agent.name, '--threads', String(agent.threads),
    ...(options.certSha256 !== undefined ? ['--cert-sha256', options.certSha256] : []),
    ...(options.extensions ?? []).flatMap((e) => ['--extension', e.file]),
  ];
  const cpu = agent.properties.cpu;
  const [command, commandArgs] = cpu !== undefined ? ['taskset', ['-c', cpu, process.execPath, ...args]] : [process.execPath, args];
  const logFd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(command, commandArgs, {
      stdio: ['ignore', logFd, logFd],
      // The token travels in the environment, which other users cannot read, rather than on the command line.
      env: { ...process.env, HYPERFOIL_AGENT_TOKEN: token },
    });
  } finally {
    closeSync(logFd);
  }
  let exitText: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      exitText = `could not be started (${command}: ${error.message})`;
      resolve(exitText);
    });
    child.once('exit', (code, signal) => {
      exitText ??= describeExit(code, signal);
      resolve(exitText);
    });
  });
  return {
    where: `as local process ${child.pid ?? '?'}`,
    exited,
    logTail: async () => tailOfFile(logFile),
    async stop(graceMs) {
      if (exitText !== undefined) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function localDeployer(options: LocalDeployerOptions): ClusterDeployer {
  const agents = new LaunchedAgents();
  return {
    extensions: options.extensions ?? [],
    deploy: (request) => deployWithHub(request, {
      hub: options.hub,
      agents,
      launch: async (agent, token) => launchLocal(agent, token, options),
    }),
    agentLogFile: (agent) => existingAgentLog(options.rootDir, agent),
    close: () => agents.settled(),
  };
}
