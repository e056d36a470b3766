/**
 * A real SSH server for tests (ssh2's Server on 127.0.0.1, port 0): public-key login with one authorized key,
 * `exec` requests run with `/bin/sh -c` on this machine with stdin/stdout/stderr and the exit status carried over
 * the channel, as sshd does without a terminal. Like sshd, closing a channel does not kill its command. Options
 * change the PATH commands see (to simulate a host without `node`). Every process started is remembered, so that
 * tests can check none is left behind.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey } from 'ssh2';

const { Server, utils } = ssh2;

export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/**
 * ssh2's generator sometimes writes an ed25519 key whose 32 bytes start with 0 as 31 (measured: 14 of 3,000), which
 * its own parser then refuses ("Malformed OpenSSH public key"): such a pair is drawn again.
 */
export function generateKeyPair(): KeyPair {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public };
    }
  }
}

export interface TestSshServer {
  readonly port: number;
  readonly hostKey: KeyPair;
  /** PIDs of every command started (the shell, which `exec` turns into the agent). */
  readonly pids: readonly number[];
  readonly commands: readonly string[];
  /** PIDs still alive. */
  alive(): number[];
  /** Closes the server and kills whatever it started that still runs. */
  close(): Promise<void>;
}

export interface TestSshServerOptions {
  readonly authorizedKey: string;
  readonly hostKey?: KeyPair;
  /** PATH of the commands run (default: the test's PATH). */
  readonly path?: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startTestSshServer(options: TestSshServerOptions): Promise<TestSshServer> {
  const hostKey = options.hostKey ?? generateKeyPair();
  const allowed = utils.parseKey(options.authorizedKey) as ParsedKey;
  const allowedBlob = allowed.getPublicSSH();
  const pids: number[] = [];
  const commands: string[] = [];
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') {
        ctx.reject(['publickey']);
        return;
      }
      const sameKey = ctx.key.algo === allowed.type && ctx.key.data.length === allowedBlob.length && timingSafeEqual(ctx.key.data, allowedBlob);
      if (!sameKey) {
        ctx.reject(['publickey']);
        return;
      }
      if (ctx.signature && ctx.blob) {
        if (allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) ctx.accept();
        else ctx.reject(['publickey']);
        return;
      }
      ctx.accept(); // the client asks whether this key would do; it signs next
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          commands.push(info.command);
          const child = spawn('/bin/sh', ['-c', info.command], {
            env: { ...process.env, PATH: options.path ?? process.env.PATH ?? '/usr/bin:/bin' },
            stdio: 'pipe',
          });
          if (child.pid !== undefined) pids.push(child.pid);
          child.stdin.on('error', () => {});
          channel.on('error', () => {});
          channel.on('data', (chunk: Buffer) => child.stdin.write(chunk));
          channel.on('end', () => child.stdin.end());
          child.stdout.on('data', (chunk: Buffer) => { if (channel.writable) channel.write(chunk); });
          child.stderr.on('data', (chunk: Buffer) => { if (channel.stderr.writable) channel.stderr.write(chunk); });
          child.on('close', (code, signal) => {
            try {
              if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
              else channel.exit(code ?? 0);
              channel.end();
            } catch {
              // The client went away first.
            }
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKey,
    pids,
    commands,
    alive: () => pids.filter(isAlive),
    async close() {
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
      for (const connection of connections) connection.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP port that accepts connections and never says anything (an SSH server that hangs). */
export async function startBlackhole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
