/**
 * An agent's SSH properties with Hyperfoil's defaults: `host` (default: the agent's name), `port` 22, `user` (the
 * controller's OS user), `sshKey` (a file in `~/.ssh`, default `id_rsa`; an absolute path works too), `dir` (the
 * controller's root dir), `cpu` (`taskset -c` list), `extras` (extra node options), `threads`.
 */
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { DeployAgent } from '../agent-deploy.js';
import { splitExtras } from '../agent-log.js';

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly keyFile: string;
  readonly dir: string;
  readonly cpu?: string;
  readonly extras: readonly string[];
  readonly threads: number;
}

export interface SshDefaults {
  /** Where `sshKey` names are looked up (default `~/.ssh`). */
  readonly sshDir: string;
  /** Default `dir`: the controller's root dir. */
  readonly rootDir: string;
}

export function sshTarget(agent: DeployAgent, defaults: SshDefaults): SshTarget {
  const p = agent.properties;
  const sshKey = p.sshKey ?? 'id_rsa';
  return {
    host: p.host ?? agent.name,
    port: p.port !== undefined ? Number(p.port) : 22,
    user: p.user ?? userInfo().username,
    keyFile: isAbsolute(sshKey) ? sshKey : join(defaults.sshDir, sshKey),
    dir: (p.dir ?? defaults.rootDir).replace(/\/+$/, '') || '/',
    ...(p.cpu !== undefined ? { cpu: p.cpu } : {}),
    extras: splitExtras(p.extras),
    threads: agent.threads,
  };
}

export function describeTarget(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port}`;
}
