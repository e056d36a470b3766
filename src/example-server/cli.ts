import { ExampleServerError } from './errors.js';
import { DEFAULT_HOST, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT, startExampleServer } from './server.js';
import type { ExampleServerOptions } from './server.js';

export const EXAMPLE_SERVER_USAGE = `Usage: hyperfoil example-server [options]

Serves the endpoints that the quickstarts and examples hit (http://localhost:8080, https://localhost:8084)
until interrupted (Ctrl-C or SIGTERM).

Options:
  --host ADDRESS       address to listen on (default ${DEFAULT_HOST})
  --port N             HTTP port (default ${DEFAULT_HTTP_PORT}; 0 picks a free port)
  --https-port N       HTTPS port, self-signed demo certificate (default ${DEFAULT_HTTPS_PORT}; 0 picks a free port)
  --no-https           serve HTTP only
  --h2c                the HTTP port speaks HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1
  -q, --quiet          do not log requests
  -h, --help           show this help
`;

/** Exit codes of the subcommand. */
export const EXIT_OK = 0;
export const EXIT_START_FAILED = 1;
export const EXIT_USAGE = 2;

export type ParsedArgs = { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'run'; readonly options: ExampleServerOptions & { host: string; httpPort: number; httpsPort: number | null } };

function parsePort(flag: string, text: string | undefined): number | string {
  if (text === undefined || text === '') return `${flag} needs a port number`;
  if (!/^\d+$/.test(text) || Number(text) > 65535) return `${flag}: '${text}' is not a port number (0-65535)`;
  return Number(text);
}

/** Parses `--flag value` and `--flag=value` forms; never throws. */
export function parseExampleServerArgs(argv: readonly string[]): ParsedArgs {
  let host = DEFAULT_HOST;
  let httpPort = DEFAULT_HTTP_PORT;
  let httpsPort: number | null = DEFAULT_HTTPS_PORT;
  let httpsPortGiven = false;
  let noHttps = false;
  let quiet = false;
  let h2c = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const takeValue = (): string | undefined => (eq < 0 ? argv[++i] : arg.slice(eq + 1));
    switch (flag) {
      case '-h': case '--help':
        return { kind: 'help' };
      case '-q': case '--quiet':
        quiet = true;
        break;
      case '--no-https':
        noHttps = true;
        break;
      case '--h2c':
        h2c = true;
        break;
      case '--host': {
        const value = takeValue();
        if (value === undefined || value === '') return { kind: 'error', message: '--host needs an address' };
        host = value;
        break;
      }
      case '--port': case '-p': {
        const port = parsePort(flag, takeValue());
        if (typeof port === 'string') return { kind: 'error', message: port };
        httpPort = port;
        break;
      }
      case '--https-port': {
        const port = parsePort(flag, takeValue());
        if (typeof port === 'string') return { kind: 'error', message: port };
        httpsPort = port;
        httpsPortGiven = true;
        break;
      }
      default:
        return { kind: 'error', message: `unknown option '${arg}'` };
    }
  }
  if (noHttps && httpsPortGiven) return { kind: 'error', message: '--https-port and --no-https exclude each other' };
  return { kind: 'run', options: { host, httpPort, httpsPort: noHttps ? null : httpsPort, quiet, ...(h2c ? { h2c } : {}) } };
}

export interface CommandIo {
  /** Standard output (default process.stdout). */
  readonly out?: (text: string) => void;
  /** Standard error (default process.stderr). */
  readonly err?: (text: string) => void;
  /** Stops the server like SIGINT does (for embedding and tests). */
  readonly signal?: AbortSignal;
}

/** Resolves with the reason on SIGINT, SIGTERM or abort; `cancel()` removes the listeners without stopping. */
function waitForStop(signal: AbortSignal | undefined): { readonly stopped: Promise<string>; cancel(): void } {
  let finish: (reason: string) => void = () => {};
  const onInt = (): void => finish('SIGINT');
  const onTerm = (): void => finish('SIGTERM');
  const onAbort = (): void => finish('abort');
  const detach = (): void => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    signal?.removeEventListener('abort', onAbort);
  };
  const stopped = new Promise<string>((resolve) => {
    finish = (reason) => {
      detach();
      resolve(reason);
    };
  });
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  if (signal?.aborted === true) finish('abort');
  else signal?.addEventListener('abort', onAbort, { once: true });
  return { stopped, cancel: detach };
}

/**
 * `hyperfoil example-server [--host H] [--port N] [--https-port N | --no-https] [--h2c] [--quiet]`: runs until SIGINT or
 * SIGTERM, then closes and returns 0. Usage errors return 2, a port that cannot be bound returns 1 with a message.
 */
export async function exampleServerCommand(argv: string[], io: CommandIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => { process.stdout.write(text); });
  const err = io.err ?? ((text: string) => { process.stderr.write(text); });
  const parsed = parseExampleServerArgs(argv);
  if (parsed.kind === 'help') {
    out(EXAMPLE_SERVER_USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    err(`hyperfoil example-server: ${parsed.message}\n${EXAMPLE_SERVER_USAGE}`);
    return EXIT_USAGE;
  }
  // Listen for signals before binding, so that a Ctrl-C during start-up still closes what was opened.
  const stop = waitForStop(io.signal);
  let server;
  try {
    server = await startExampleServer({ ...parsed.options, log: (line) => out(`${line}\n`) });
  } catch (error) {
    stop.cancel();
    if (error instanceof ExampleServerError) {
      err(`hyperfoil example-server: ${error.message}\n`);
      return EXIT_START_FAILED;
    }
    throw error;
  }
  out(`Example server listening on ${server.httpUrl}${parsed.options.h2c === true ? ' (h2c)' : ''}` +
    (server.httpsUrl === undefined ? '' : ` and ${server.httpsUrl} (self-signed demo certificate)`) +
    '\nPress Ctrl-C to stop.\n');
  const reason = await stop.stopped;
  await server.close();
  out(`Example server stopped (${reason}).\n`);
  return EXIT_OK;
}
