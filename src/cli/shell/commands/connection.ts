/** Commands about the controller itself: `connect`, `start-local`, `version`, `shutdown`, `exit`. */
import { resolve } from 'node:path';
import { COMMIT, VERSION } from '../../../lib/index.js';
import { flag } from '../../args.js';
import { DEFAULT_ROOT_DIR } from '../../commands/run.js';
import { parseVersion } from '../client.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import { DEFAULT_HOST, DEFAULT_PORT, passwordFromEnv } from '../context.js';
import { startLocalController } from '../local-controller.js';
import { paint } from '../terminal.js';

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ShellError(`\`${text}\` is not a port number (1-65535)`, 'usage');
  return port;
}

/**
 * `host`, `host:port`, `[::1]:port` or `http(s)://host[:port]`; `-p` overrides the port, `--tls`/`--no-tls` the
 * scheme. Without a scheme a port ending in 443 means TLS, as in Hyperfoil.
 */
export function parseTarget(text: string | undefined, options: { port?: string; tls?: boolean; noTls?: boolean }): Target {
  let host = DEFAULT_HOST;
  let port: number | undefined;
  let tls: boolean | undefined;
  if (text !== undefined) {
    const url = /^([a-z]+):\/\/(.*)$/i.exec(text);
    let rest = text;
    if (url) {
      const scheme = url[1]!.toLowerCase();
      if (scheme !== 'http' && scheme !== 'https') throw new ShellError(`\`${scheme}://\` is not a controller address: use http:// or https://`, 'usage');
      tls = scheme === 'https';
      rest = url[2]!.replace(/\/.*$/, '');
    }
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
    if (bracketed) {
      host = bracketed[1]!;
      if (bracketed[2] !== undefined) port = portNumber(bracketed[2]);
    } else {
      const colon = rest.lastIndexOf(':');
      if (colon >= 0 && rest.indexOf(':') === colon) {
        host = rest.slice(0, colon);
        port = portNumber(rest.slice(colon + 1));
      } else {
        host = rest;
      }
    }
    if (host === '') throw new ShellError(`\`${text}\` names no host`, 'usage');
    if (port === undefined && tls !== undefined) port = tls ? 443 : 80;
  }
  if (options.port !== undefined) port = portNumber(options.port);
  port ??= DEFAULT_PORT;
  if (options.tls) tls = true;
  if (options.noTls) tls = false;
  tls ??= String(port).endsWith('443');
  return { host, port, tls };
}

export const connectCommand: ShellCommand = {
  name: 'connect',
  summary: `connect to a controller (default ${DEFAULT_HOST}:${DEFAULT_PORT}, or the one started by start-local)`,
  synopsis: '[HOST[:PORT] | http(s)://HOST[:PORT]] [-p PORT] [--tls] [--no-tls] [-k] [--password PASSWORD]',
  flags: [
    { name: 'port', short: 'p', value: 'PORT', description: `controller port (default ${DEFAULT_PORT})` },
    { name: 'tls', short: 't', description: 'use HTTPS (implied by https:// and by ports ending in 443)' },
    { name: 'no-tls', description: 'use plain HTTP even on a port ending in 443' },
    { name: 'insecure', short: 'k', description: 'accept any TLS certificate (self-signed, another host name)' },
    { name: 'password', value: 'PASSWORD', description: 'password for the controller\'s basic auth (or set HYPERFOIL_PASSWORD)' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    if (args.positional.length > 1) throw new ShellError('connect takes one address', 'usage');
    const [text] = args.positional;
    const port = flag(args, 'port');
    let target: Target;
    if (text === undefined && port === undefined && cx.local) {
      target = { host: cx.local.host, port: cx.local.port, tls: false };
    } else {
      target = parseTarget(text, {
        ...(port !== undefined ? { port } : {}), tls: flag(args, 'tls') !== undefined, noTls: flag(args, 'no-tls') !== undefined,
      });
    }
    const current = cx.client?.address;
    if (current && current.host === target.host && current.port === target.port && current.tls === target.tls && flag(args, 'password') === undefined) {
      cx.terminal.info(`Already connected to ${cx.client!.url}.`);
      return;
    }
    if (cx.client) {
      cx.terminal.info(`Closing the connection to ${cx.client.url}.`);
      cx.disconnect();
    }
    const password = flag(args, 'password');
    await cx.connect({
      ...target,
      ...(password !== undefined ? { password } : passwordFromEnv()),
      ...(flag(args, 'insecure') ? { insecure: true } : {}),
    });
  },
};

export const startLocalCommand: ShellCommand = {
  name: 'start-local',
  summary: 'start a controller inside this shell (127.0.0.1, a free port, in-process agent `in-vm`) and connect to it',
  synopsis: '[ROOT_DIR] [-l LEVEL] [-q] [--clustered] [--allow-hooks]',
  complete: ['file'],
  flags: [
    { name: 'allow-hooks', description: 'run the pre/post shell hooks of uploaded benchmarks (off: they are refused)' },
    { name: 'clustered', description: 'a clustered controller: each run starts the agents its benchmark declares as local processes' },
    { name: 'log-level', short: 'l', value: 'LEVEL', description: 'least severe level written to <root>/hyperfoil.local.log (default INFO)' },
    { name: 'quiet', short: 'q', description: 'print nothing when all goes well' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    if (args.positional.length > 1) throw new ShellError('start-local takes one root directory', 'usage');
    const quiet = flag(args, 'quiet') !== undefined;
    const say = (text: string): void => {
      if (!quiet) cx.terminal.info(text);
    };
    if (cx.local) {
      cx.terminal.warn(paint(cx.terminal, 'yellow',
        `WARNING: a local controller is already running (root ${cx.local.rootDir}); not starting another.`));
    } else {
      const [root] = args.positional;
      say(`Starting controller in ${root === undefined ? `default directory (${DEFAULT_ROOT_DIR})` : resolve(root)}`);
      const clustered = flag(args, 'clustered') !== undefined;
      cx.local = await startLocalController(root ?? DEFAULT_ROOT_DIR, flag(args, 'log-level') ?? 'INFO', flag(args, 'allow-hooks') !== undefined, clustered);
      say(`Controller started, listening on ${cx.local.host}:${cx.local.port}`);
    }
    say('Connecting to the controller...');
    cx.disconnect();
    await cx.connect({ host: cx.local.host, port: cx.local.port, tls: false }, { quiet });
  },
};

export const versionCommand: ShellCommand = {
  name: 'version',
  summary: 'versions of this shell and of the controller',
  synopsis: '',
  flags: [HELP_FLAG],
  async run(cx) {
    cx.terminal.info(`Shell: ${VERSION}, commit ${COMMIT}`);
    if (!cx.client) {
      cx.terminal.info('Controller: not connected');
      return;
    }
    const version = parseVersion(await cx.client.version(cx.signal));
    cx.terminal.info(`Controller: ${version.version}, commit ${version.commitId} (${cx.client.url})`);
  },
};

export const shutdownCommand: ShellCommand = {
  name: 'shutdown',
  summary: 'stop the controller (refused while a run is going, unless --force)',
  synopsis: '[--force]',
  flags: [{ name: 'force', description: 'stop even while a run is going (the run is killed and stored)' }, HELP_FLAG],
  async run(cx, args) {
    const client = await cx.ensureClient();
    try {
      await client.shutdown(flag(args, 'force') !== undefined);
    } catch (error) {
      if (error instanceof Error && /run is in progress/.test(error.message)) {
        throw new ShellError(`the controller refused to shut down: ${error.message}`);
      }
      throw error;
    }
    cx.terminal.info(`Controller at ${client.url} is shutting down.`);
    if (cx.local && client.address.host === cx.local.host && client.address.port === cx.local.port) {
      await cx.local.controller.close();
      cx.local = undefined;
    }
    cx.disconnect();
  },
};

export const exitCommand: ShellCommand = {
  name: 'exit',
  aliases: ['quit'],
  summary: 'leave the shell (a controller started by start-local stops; its runs are kept on disk)',
  synopsis: '',
  flags: [HELP_FLAG],
  run(cx) {
    cx.exitRequested = true;
    return Promise.resolve();
  },
};
