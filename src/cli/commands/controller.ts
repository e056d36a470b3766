/**
 * `hyperfoil controller`: the clustered controller. Serves Hyperfoil's REST API and, on the same port, the agent
 * hub at `/agent`; deploys each run's agents with the chosen deployer (`ssh`, the default; `local` child
 * processes; `none`: agents started by hand join by name with the controller's agent token). Benchmarks without
 * `agents:` are refused, as Hyperfoil does.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { AgentHub, randomAgentToken, startController } from '../../controller/index.js';
import type { Deployer } from '../../controller/index.js';
import { localDeployer, manualDeployer, sshDeployer } from '../../deploy/index.js';
import { HyperfoilError, parseDurationMs } from '../../lib/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { AGENT_TOKEN_ENV } from './agent.js';
import { extensionsOf } from './extension-flag.js';
import { DEFAULT_ROOT_DIR } from './run.js';
import { accessOf, CONTROLLER_FLAGS, portOf, serveUntilStopped, tlsOf } from './standalone.js';

const DEPLOYERS = ['ssh', 'local', 'none'] as const;
type DeployerName = (typeof DEPLOYERS)[number];

const FLAGS: FlagSpec[] = [
  ...CONTROLLER_FLAGS.filter((f) => f.name !== 'help'),
  { name: 'advertise', value: 'URL', description: 'the URL agents dial (default: from --host; the first non-loopback address for 0.0.0.0)' },
  { name: 'deployer', value: 'ssh|local|none', description: 'how agents are started: over SSH (default), as local processes, or by hand' },
  { name: 'deploy-timeout', value: 'DURATION', description: 'give up deploying a run\'s agents after this long (default 60s)' },
  { name: 'agent-timeout', value: 'DURATION', description: 'declare an agent failed when it does not obey a phase command or send a phase\'s statistics within this (default 15s)' },
  { name: 'agent-token', value: 'TOKEN', description: `token of hand-started agents (--deployer none; default random, or ${AGENT_TOKEN_ENV})` },
  { name: 'help', short: 'h', description: 'show this help' },
];

const CONTROLLER_USAGE = usage('controller [--host H] [--port 8090] [--root-dir DIR] [--advertise URL] [--deployer ssh|local|none] [--deploy-timeout 60s] [--agent-timeout 15s]',
  'Starts a clustered controller: REST API plus the agent hub; each run deploys the agents its benchmark declares.', FLAGS);

/** The address remote agents can reach when the controller listens on every interface. */
function firstExternalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (!address.internal && address.family === 'IPv4') return address.address;
  }
  return undefined;
}

export function advertisedUrl(host: string, port: number, tls: boolean): string {
  const scheme = tls ? 'https' : 'http';
  const unspecified = host === '0.0.0.0' || host === '::' || host === '';
  const chosen = unspecified ? firstExternalAddress() ?? '127.0.0.1' : host;
  return `${scheme}://${chosen.includes(':') ? `[${chosen}]` : chosen}:${port}`;
}

/** SHA-256 fingerprint of the first certificate in a PEM file, for agents to trust exactly that certificate. */
function certificateSha256(certFile: string): string {
  try {
    return new X509Certificate(readFileSync(certFile)).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch (error) {
    throw new HyperfoilError('TLS_FILES', `cannot read the certificate ${certFile}: ${(error as Error).message}`);
  }
}

export async function controllerCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(CONTROLLER_USAGE);
    return ExitCode.OK;
  }
  if (args.positional.length > 0) throw new UsageError(`controller takes no arguments\n\n${CONTROLLER_USAGE}`);
  const deployerName = (flag(args, 'deployer') ?? 'ssh') as DeployerName;
  if (!DEPLOYERS.includes(deployerName)) throw new UsageError(`--deployer must be one of ${DEPLOYERS.join(', ')}, got \`${deployerName}\``);
  const timeoutText = flag(args, 'deploy-timeout');
  const timeout = timeoutText === undefined ? undefined : parseDurationMs(timeoutText);
  if (timeout && !timeout.ok) throw new UsageError(`--deploy-timeout: ${timeout.message}`);
  const agentTimeoutText = flag(args, 'agent-timeout');
  const agentTimeout = agentTimeoutText === undefined ? undefined : parseDurationMs(agentTimeoutText);
  if (agentTimeout && (!agentTimeout.ok || agentTimeout.value <= 0)) {
    throw new UsageError(`--agent-timeout: ${agentTimeout.ok ? 'must be more than 0' : agentTimeout.message}`);
  }
  const advertiseFlag = flag(args, 'advertise');
  if (advertiseFlag !== undefined && (!/^https?:\/\/[^/]+/.test(advertiseFlag) || !URL.canParse(advertiseFlag))) {
    throw new UsageError(`--advertise must be an http(s) URL such as http://controller.example:8090, got \`${advertiseFlag}\``);
  }
  const password = flag(args, 'password') ?? process.env.HYPERFOIL_PASSWORD;
  const tls = tlsOf(flag(args, 'tls-cert'), flag(args, 'tls-key'));
  const certSha256 = tls ? certificateSha256(tls.certFile) : undefined;
  const rootDir = flag(args, 'root-dir') ?? DEFAULT_ROOT_DIR;
  const host = flag(args, 'host') ?? '127.0.0.1';
  const extensions = await extensionsOf(args, rootDir);
  const agentToken = deployerName === 'none' ? flag(args, 'agent-token') ?? process.env[AGENT_TOKEN_ENV] ?? randomAgentToken() : undefined;

  const hub = new AgentHub({
    log: (level, message) => out.warn(`${new Date().toISOString()} ${level.toUpperCase()} ${message}`),
    ...(agentToken !== undefined ? { standingToken: agentToken } : {}),
  });
  let advertised = advertiseFlag?.replace(/\/+$/, '') ?? '';
  const controllerUrl = (): string => advertised;
  const common = { hub, rootDir, controllerUrl, extensions, ...(certSha256 !== undefined ? { certSha256 } : {}) };
  const clusterDeployer = deployerName === 'ssh' ? sshDeployer(common) : deployerName === 'local' ? localDeployer(common) : undefined;
  const deployer: Deployer = clusterDeployer ?? manualDeployer({ hub, controllerUrl, extensions });

  let serving: { stopped: Promise<number>; stop: () => void } | undefined;
  const controller = await startController({
    mode: 'clustered',
    deployer,
    rootDir,
    host,
    port: portOf(flag(args, 'port'), 8090),
    ...accessOf(args, advertiseFlag !== undefined ? [new URL(advertiseFlag).hostname] : []),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
    ...(timeout?.ok ? { deployTimeoutMs: timeout.value } : {}),
    ...(agentTimeout?.ok ? { agentResponseTimeoutMs: agentTimeout.value } : {}),
    ...(clusterDeployer ? { agentLogFile: (agent: string) => clusterDeployer.agentLogFile(agent) } : {}),
    beforeClose: () => hub.close(),
    onShutdown: () => serving?.stop(),
  });
  hub.attach(controller.rest.server);
  advertised ||= advertisedUrl(host, controller.port, tls !== undefined);
  out.info(`Hyperfoil controller (clustered, deployer ${deployerName}) listening on ${controller.url}; agents dial ${advertised}/agent`);
  for (const extension of extensions) out.info(`Extension ${extension.name}: ${extension.file}`);
  if (agentToken !== undefined) {
    const flags = extensions.map((e) => ` --extension ${e.file}`).join('');
    out.info(`Start each agent with: hyperfoil agent --controller ${advertised} --name NAME --token ${agentToken}${flags}`);
  }
  serving = serveUntilStopped(async () => {
    await controller.close();
    await clusterDeployer?.close();
  }, out);
  return serving.stopped;
}
