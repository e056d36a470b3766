/**
 * The `ssh` deployer (default of a clustered controller): for each agent, log in to its host, check that `node`
 * (≥ 20) is there and `<dir>/agentlib` writable, copy the single-file agent bundle there unless the host's copy has
 * the same SHA-256, and the same for each compiled extension (`<dir>/agentlib/extensions/<sha256>.mjs`), and start it:
 *   cd <dir> && exec [taskset -c <cpu>] node [extras] <dir>/agentlib/hyperfoil-agent.mjs agent
 *     --controller <advertised URL> --name <name> --token - --threads <n> [--extension <file>]…  > <dir>/agent.<name>.log 2>&1
 * The token is written to the command's stdin, so it never shows in a process list. The SSH connection stays
 * open while the agent runs; when the run ends the agent exits by itself (or is killed with `kill -9`), and its
 * log is copied to the controller's `<rootDir>/agent.<name>.log` for `GET /log/{agent}`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentHub } from '../../controller/index.js';
import type { LoadedExtension } from '../../extensions/index.js';
import { HyperfoilError } from '../../lib/index.js';
import { deployWithHub, LaunchedAgents } from '../agent-deploy.js';
import type { ClusterDeployer, DeployAgent, LaunchedAgent } from '../agent-deploy.js';
import { agentLogFileName, agentLogPath, existingAgentLog } from '../agent-log.js';
import { AGENT_BUNDLE_FILE, loadAgentBundle } from './agent-bundle.js';
import type { AgentBundle } from './agent-bundle.js';
import { KnownHosts } from './known-hosts.js';
import { shellQuote } from './shell-quote.js';
import { SshSession } from './ssh-session.js';
import { describeTarget, sshTarget } from './ssh-target.js';
import type { SshTarget } from './ssh-target.js';

export interface SshDeployerOptions {
  readonly hub: AgentHub;
  /** The controller's root dir: default agent `dir`, the known-hosts file and the copies of agents' logs. */
  readonly rootDir: string;
  /** The controller URL agents dial (known once the controller listens). */
  readonly controllerUrl: () => string;
  readonly certSha256?: string;
  /** Where `sshKey` names are looked up (default `~/.ssh`). */
  readonly sshDir?: string;
  /** Host keys seen so far (default `<rootDir>/known_hosts`). */
  readonly knownHostsFile?: string;
  /** The agent bundle to copy (default: the built one). */
  readonly bundlePath?: string;
  /** Oldest Node.js major version accepted on agent hosts. */
  readonly minNodeMajor?: number;
  /** Compiled extensions, copied next to the agent bundle (once: the host's copy is kept when its SHA-256 matches). */
  readonly extensions?: readonly LoadedExtension[];
}

const MIN_NODE_MAJOR = 20;
/** Exit status of the probe when `dir` cannot be created or written. */
const DIR_NOT_WRITABLE = 3;

/** Where an extension lives on agent hosts, relative to `<dir>/agentlib`. */
function extensionFile(extension: LoadedExtension): string {
  return `extensions/${extension.sha256}.mjs`;
}

/**
 * Prints `<node version> <sha256 of the bundle or -> <sha256 of each extension or ->…`; exits 127 without node and
 * 3 when `dir` is not writable.
 */
function probeScript(target: SshTarget, extensions: readonly LoadedExtension[]): string {
  const lib = shellQuote(`${target.dir}/agentlib`);
  const files = [AGENT_BUNDLE_FILE, ...extensions.map(extensionFile)].map((f) => shellQuote(`${target.dir}/agentlib/${f}`));
  const hashJs = "const hash=(f)=>{try{return require('crypto').createHash('sha256').update(require('fs').readFileSync(f)).digest('hex')}catch(e){return '-'}};" +
    "console.log([process.versions.node,...process.argv.slice(1).map(hash)].join(' '))";
  return [
    'command -v node >/dev/null 2>&1 || { echo "node is not on the PATH ($PATH)" >&2; exit 127; }',
    `mkdir -p ${lib}/extensions || exit ${DIR_NOT_WRITABLE}`,
    `{ : > ${lib}/.write-test && rm -f ${lib}/.write-test; } || exit ${DIR_NOT_WRITABLE}`,
    `exec node -e ${shellQuote(hashJs)} ${files.join(' ')}`,
  ].join('\n');
}

/** Writes stdin to `<dir>/agentlib/<file>` through a temporary name, so a host never sees half a file. */
function uploadScript(target: SshTarget, file: string): string {
  const path = `${target.dir}/agentlib/${file}`;
  const temp = shellQuote(`${path}.upload.`);
  return `cat > ${temp}$$ && mv -f ${temp}$$ ${shellQuote(path)}`;
}

function remoteLog(target: SshTarget, name: string): string {
  return `${target.dir}/${agentLogFileName(name)}`;
}

function startScript(
  target: SshTarget, agent: DeployAgent, controllerUrl: string, certSha256: string | undefined, extensions: readonly LoadedExtension[],
): string {
  const command = [
    ...(target.cpu !== undefined ? ['taskset', '-c', target.cpu] : []),
    'node', ...target.extras, `${target.dir}/agentlib/${AGENT_BUNDLE_FILE}`, 'agent',
    '--controller', controllerUrl, '--name', agent.name, '--token', '-', '--threads', String(target.threads),
    ...(certSha256 !== undefined ? ['--cert-sha256', certSha256] : []),
    ...extensions.flatMap((e) => ['--extension', `${target.dir}/agentlib/${extensionFile(e)}`]),
  ].map(shellQuote).join(' ');
  // `echo $$` tells the agent's PID (exec keeps it) so that it can be killed if it does not stop by itself.
  return `cd ${shellQuote(target.dir)} && echo $$ && exec ${command} > ${shellQuote(remoteLog(target, agent.name))} 2>&1`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export function sshDeployer(options: SshDeployerOptions): ClusterDeployer {
  const agents = new LaunchedAgents();
  const knownHosts = new KnownHosts(options.knownHostsFile ?? join(options.rootDir, 'known_hosts'));
  const sshDir = options.sshDir ?? join(homedir(), '.ssh');
  const minNodeMajor = options.minNodeMajor ?? MIN_NODE_MAJOR;
  const extensions = options.extensions ?? [];

  /** Copies `content` to `<dir>/agentlib/<file>` once per host and dir, however many agents share them. */
  const copy = (
    session: SshSession, target: SshTarget, uploads: Map<string, Promise<void>>, file: string, what: string, content: Buffer | string,
  ): Promise<void> => {
    const key = `${describeTarget(target)}:${target.dir}:${file}`;
    let upload = uploads.get(key);
    if (!upload) {
      upload = session.exec(uploadScript(target, file), content).then((result) => {
        if (result.code !== 0) {
          throw new HyperfoilError('UPLOAD_FAILED', `copying ${what} to ${target.host}:${target.dir}/agentlib failed: ${firstLine(result.stderr) || `exit ${result.code}`}`);
        }
      });
      uploads.set(key, upload);
    }
    return upload;
  };

  const launch = async (
    agent: DeployAgent, token: string, stage: (text: string) => void, signal: AbortSignal,
    bundle: AgentBundle, uploads: Map<string, Promise<void>>, timeoutMs: number,
  ): Promise<LaunchedAgent> => {
    const target = sshTarget(agent, { sshDir, rootDir: options.rootDir });
    const where = describeTarget(target);
    stage(`connecting over SSH to ${where}`);
    const session = await SshSession.connect(target, knownHosts, timeoutMs, signal);
    // Until the agent runs, aborting (timeout, another agent failed, run killed) just drops the connection.
    const onAbort = (): void => session.end();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      stage(`checking node and ${target.dir} on ${target.host}`);
      const probe = await session.exec(probeScript(target, extensions));
      if (probe.code === 127) {
        throw new HyperfoilError('NO_NODE', `\`node\` was not found on ${target.host} for ${target.user} (${firstLine(probe.stderr)}): ` +
          `install Node.js ${minNodeMajor} or newer there, on the PATH of non-interactive SSH sessions`);
      }
      if (probe.code === DIR_NOT_WRITABLE) {
        throw new HyperfoilError('DIR_NOT_WRITABLE', `cannot create or write ${target.dir}/agentlib on ${target.host}: ` +
          `${firstLine(probe.stderr) || 'permission denied'}; set the agent's \`dir\` to a writable directory`);
      }
      const [version = '', remoteSha = '', ...remoteExtensionShas] = firstLine(probe.stdout).split(' ');
      if (probe.code !== 0 || !/^\d+\./.test(version)) {
        throw new HyperfoilError('PROBE_FAILED', `checking ${target.host} failed (exit ${probe.code ?? probe.signal ?? '?'}): ${firstLine(probe.stderr) || firstLine(probe.stdout)}`);
      }
      if (Number(version.split('.')[0]) < minNodeMajor) {
        throw new HyperfoilError('NODE_TOO_OLD', `node ${version} on ${target.host} is too old: the agent needs Node.js ${minNodeMajor} or newer`);
      }
      if (remoteSha !== bundle.sha256) {
        stage(`copying the agent bundle (${Math.round(bundle.content.length / 1024)} KiB) to ${target.host}:${target.dir}/agentlib`);
        await copy(session, target, uploads, AGENT_BUNDLE_FILE, 'the agent bundle', bundle.content);
      }
      for (const [i, extension] of extensions.entries()) {
        if (remoteExtensionShas[i] === extension.sha256) continue;
        stage(`copying the extension ${extension.name} to ${target.host}:${target.dir}/agentlib/extensions`);
        await copy(session, target, uploads, extensionFile(extension), `the extension ${extension.name}`, readFileSync(extension.file));
      }
      stage(`starting the agent on ${target.host}`);
      const channel = await session.startChannel(startScript(target, agent, options.controllerUrl(), options.certSha256, extensions));
      signal.removeEventListener('abort', onAbort);
      let pid: number | undefined;
      let stdout = '';
      let exitText: string | undefined;
      const exited = new Promise<string>((resolve) => {
        channel.on('exit', (code: number | null, exitSignal?: string) => {
          exitText ??= exitSignal ? `on ${target.host} was killed by SIG${exitSignal}` : `on ${target.host} exited with code ${code ?? '?'}`;
        });
        channel.on('close', () => {
          exitText ??= `on ${target.host} ended with the SSH session`;
          resolve(exitText);
        });
      });
      channel.on('data', (chunk: Buffer) => {
        if (pid !== undefined) return;
        stdout += chunk.toString();
        const line = /^(\d+)\n/.exec(stdout);
        if (line) pid = Number(line[1]);
      });
      channel.stderr.on('data', () => {});
      channel.end(`${token}\n`);
      const fetchLog = async (): Promise<string> => {
        const result = await session.exec(`cat ${shellQuote(remoteLog(target, agent.name))}`).catch(() => undefined);
        return result?.code === 0 ? result.stdout : '';
      };
      return {
        where: `on ${where} (log ${remoteLog(target, agent.name)})`,
        exited,
        logTail: async () => (await fetchLog()).trimEnd().split('\n').slice(-15).join('\n'),
        async stop(graceMs) {
          if (exitText === undefined) {
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
            if (exitText === undefined && pid !== undefined && session.isOpen) {
              await session.exec(`kill -9 ${pid}`).catch(() => undefined);
              await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
            }
          }
          if (session.isOpen) {
            const log = await fetchLog();
            try {
              writeFileSync(agentLogPath(options.rootDir, agent.name), log);
            } catch {
              // The controller's root dir vanished: nothing to serve then.
            }
          }
          session.end();
        },
      };
    } catch (error) {
      signal.removeEventListener('abort', onAbort);
      session.end();
      throw error;
    }
  };

  return {
    extensions,
    async deploy(request) {
      const bundle = await loadAgentBundle(options.bundlePath);
      const uploads = new Map<string, Promise<void>>();
      return deployWithHub(request, {
        hub: options.hub,
        agents,
        launch: (agent, token, stage, signal) => launch(agent, token, stage, signal, bundle, uploads, request.timeoutMs),
      });
    },
    agentLogFile: (agent) => existingAgentLog(options.rootDir, agent),
    close: () => agents.settled(),
  };
}
