/**
 * One SSH connection to an agent host (ssh2's Client) with the few operations the deployer needs: run a command
 * and collect its output (optionally feeding stdin), or start a long-lived command. Connection failures become
 * messages that name the host and say what to check.
 */
import { readFileSync } from 'node:fs';
import type { Client, ClientChannel } from 'ssh2';
import { HyperfoilError } from '../../lib/index.js';
import type { KnownHosts } from './known-hosts.js';
import { describeTarget } from './ssh-target.js';
import type { SshTarget } from './ssh-target.js';

export interface ExecResult {
  readonly code: number | null;
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
}

export class SshError extends HyperfoilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SSH_FAILED', message, options);
  }
}

function readKey(target: SshTarget): Buffer {
  try {
    return readFileSync(target.keyFile);
  } catch (error) {
    throw new SshError(`cannot read the SSH key ${target.keyFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
      'set the agent\'s `sshKey` property to a private key file in ~/.ssh', { cause: error });
  }
}

export class SshSession {
  private closed = false;

  private constructor(private readonly client: Client, readonly target: SshTarget) {
    client.on('close', () => { this.closed = true; });
  }

  static async connect(target: SshTarget, knownHosts: KnownHosts, timeoutMs: number, signal: AbortSignal): Promise<SshSession> {
    const privateKey = readKey(target);
    // Loaded on first use: ssh2 instantiates a WebAssembly module with 16 MB of memory when it loads, which every
    // `hyperfoil run` and local controller would otherwise carry without deploying over SSH (4 MB of RSS measured).
    const { Client } = await import('ssh2');
    const client = new Client();
    // ssh2 may report more than one error (e.g. after destroy()); each operation reports the first it sees.
    client.on('error', () => {});
    const where = describeTarget(target);
    let hostKeyProblem: string | undefined;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        client.destroy();
        reject(signal.reason instanceof Error ? signal.reason : new SshError(`connecting to ${where} was aborted`));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      client.once('ready', () => {
        signal.removeEventListener('abort', onAbort);
        resolve(new SshSession(client, target));
      });
      client.once('error', (error: Error & { level?: string; code?: string }) => {
        signal.removeEventListener('abort', onAbort);
        client.destroy();
        reject(new SshError(connectFailure(error, target, hostKeyProblem), { cause: error }));
      });
      try {
        client.connect({
          host: target.host,
          port: target.port,
          username: target.user,
          privateKey,
          readyTimeout: Math.max(1000, timeoutMs),
          hostVerifier: (key: Buffer) => {
            const verdict = knownHosts.check(target.host, target.port, key);
            if (!verdict.ok) hostKeyProblem = verdict.message;
            return verdict.ok;
          },
        });
      } catch (error) {
        // A key that cannot be parsed (or needs a passphrase) is reported synchronously.
        signal.removeEventListener('abort', onAbort);
        reject(new SshError(`cannot use the SSH key ${target.keyFile}: ${(error as Error).message} (keys protected by a passphrase are not supported)`, { cause: error }));
      }
    });
  }

  /** Runs `command` with `sh -c` semantics on the host; resolves with its exit status and output. */
  exec(command: string, stdin?: Buffer | string): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.startChannel(command).then((channel) => {
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let code: number | null = null;
        let signal: string | undefined;
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
          code = exitCode;
          if (exitSignal) signal = exitSignal;
        });
        channel.on('close', () => resolve({
          code, ...(signal !== undefined ? { signal } : {}),
          stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(),
        }));
        if (stdin !== undefined) channel.end(stdin);
        else channel.end();
      }, reject);
    });
  }

  /** Starts a command whose channel stays open (the agent); the caller reads and ends it. */
  startChannel(command: string): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(new SshError(`the SSH connection to ${describeTarget(this.target)} is closed`));
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) reject(new SshError(`cannot run a command over SSH on ${describeTarget(this.target)}: ${error.message}`, { cause: error }));
        else resolve(channel);
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  end(): void {
    this.closed = true;
    this.client.end();
    // A peer that never answers the disconnect must not keep the socket (and the process) alive.
    setTimeout(() => this.client.destroy(), 1000).unref();
  }
}

function connectFailure(error: Error & { level?: string; code?: string }, target: SshTarget, hostKeyProblem: string | undefined): string {
  const where = `${target.host}:${target.port}`;
  if (hostKeyProblem) return hostKeyProblem;
  if (error.level === 'client-authentication') {
    return `SSH login as ${target.user} on ${where} with the key ${target.keyFile} was refused: add its public key to ` +
      `~${target.user}/.ssh/authorized_keys on ${target.host}, or set the agent's \`sshKey\`/\`user\``;
  }
  switch (error.code) {
    case 'ECONNREFUSED': return `cannot connect over SSH to ${where}: connection refused (is sshd running there, on port ${target.port}?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot connect over SSH to ${where}: unknown host ${target.host}`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return `cannot connect over SSH to ${where}: host unreachable`;
    case 'ETIMEDOUT': return `cannot connect over SSH to ${where}: connection timed out`;
    default:
      if (error.level === 'client-timeout' || /timed out/i.test(error.message)) return `the SSH handshake with ${where} timed out`;
      return `SSH connection to ${where} failed: ${error.message}`;
  }
}
