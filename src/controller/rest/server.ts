/**
 * The controller's REST server (Hyperfoil's API) on node:http, or node:https with PEM files. Each request is
 * handled on its own: whatever a handler throws becomes a 4xx/5xx answer with a message, and the server keeps
 * serving. Every response carries `x-epoch-millis` (the CLI uses it to warn about clock skew).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HyperfoilError } from '../../lib/index.js';
import { Authenticator } from './auth.js';
import { benchmarkRoutes } from './benchmark-routes.js';
import { statusOf, HttpError } from './http-error.js';
import { loadOpenApi, miscRoutes } from './misc-routes.js';
import type { Logger, RestContext, RestServerOptions } from './options.js';
import { OriginPolicy } from './origin-policy.js';
import { PATH_PARAMS } from './params.js';
import { sendText } from './respond.js';
import { parseTarget, Router } from './router.js';
import type { Route } from './router.js';
import { runRoutes } from './run-routes.js';
import { webRoutes } from '../web/routes.js';

export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

export interface RestServer {
  /** `http(s)://host:port` to reach the server (loopback when it listens on every address). */
  readonly url: string;
  readonly port: number;
  /** Warnings about the configuration (also logged), e.g. an open port without a password. */
  readonly warnings: readonly string[];
  /** The underlying server, e.g. to accept the agents' WebSocket upgrades on the same port. */
  readonly server: Server;
  /** Every route (method and path template), e.g. for tests that must cover each one. */
  readonly routes: readonly Pick<Route, 'method' | 'path'>[];
  /** The Host/Origin policy every request passes (its browser part also guards WebSocket upgrades). */
  readonly originPolicy: OriginPolicy;
  /** Stops listening and closes every connection; resolves once closed. Safe to call twice. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

function pemFiles(files: string | readonly string[]): Buffer[] {
  const list = typeof files === 'string' ? files.split(',').map((f) => f.trim()).filter((f) => f !== '') : [...files];
  return list.map((file) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new HyperfoilError('TLS_FILES', `cannot read the TLS file ${file}: ${(error as Error).message}`);
    }
  });
}

/** Warnings and errors on standard error (the default when no logger is given). */
export const stderrLogger: Logger = (level, message) => {
  if (level !== 'info') console.error(`[controller] ${level.toUpperCase()} ${message}`);
};

function fail(cx: RestContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent || res.destroyed || req.socket.destroyed) {
    // Half sent, or the client went away (or broke the framing of its connection) while a file streamed: the
    // connection cannot be saved, and nothing on our side failed.
    cx.log('info', `${req.method} ${req.url}: answer interrupted: ${message}`);
    res.destroy();
    return;
  }
  if (status === undefined) {
    cx.log('error', `${req.method} ${req.url} failed: ${error instanceof Error ? error.stack ?? message : message}`);
  }
  const headers = error instanceof HttpError ? error.headers : {};
  sendText(res, status ?? 500, status === undefined ? `internal error: ${message}` : message, headers);
}

/**
 * A web page's WebSocket (to the agent hub on this port) is answered 403 and closed before any `upgrade` listener
 * sees it. Done by filtering the event rather than by a listener of its own, so that the listeners attached later
 * (the hub) still see themselves as the only ones and answer 404 for paths they do not serve.
 */
function refuseForeignUpgrades(server: Server, policy: OriginPolicy, log: Logger): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'upgrade') return emit(event, ...args);
    const [req, socket] = args as [IncomingMessage, Duplex];
    try {
      policy.checkBrowser(req.headers);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log('warn', `refused a WebSocket upgrade to ${req.url ?? ''}: ${message}`);
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n`
        + `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
      return true;
    }
    return emit(event, ...args);
  }) as Server['emit'];
}

/** Starts listening; rejects when the port cannot be bound or the configuration is unsafe. */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const log = options.log ?? stderrLogger;
  const warnings: string[] = [];
  const loopback = isLoopback(options.host);
  if (options.password === undefined && !loopback) {
    warnings.push(`SECURITY: the controller listens on ${options.host} WITHOUT A PASSWORD: anyone who can reach its port ` +
      'can upload benchmarks, start load from this machine and read every result. Set --password (with TLS or a TLS proxy), ' +
      'or listen on 127.0.0.1. See SECURITY.md.');
  }
  if (options.password !== undefined && !options.tls && !loopback && !options.securedViaProxy) {
    throw new HyperfoilError('INSECURE_PASSWORD',
      `refusing to listen on ${options.host} with a password but without TLS: the password would cross the network in clear. ` +
      'Give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy on this machine (see SECURITY.md).');
  }
  for (const warning of warnings) log('warn', warning);

  const auth = new Authenticator(options.password);
  const scheme = options.tls ? 'https' : 'http';
  let boundPort = options.port;
  const cx: RestContext = {
    options, auth, log,
    store: options.store,
    runs: options.runs,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    baseUrl(headers) {
      if (options.externalUri) return options.externalUri.replace(/\/+$/, '');
      const host = headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(headers.host) ? headers.host : `${options.host}:${boundPort}`;
      return `${scheme}://${host}`;
    },
  };
  const router = new Router([...benchmarkRoutes(cx), ...runRoutes(cx), ...miscRoutes(cx, loadOpenApi()), ...webRoutes(cx)], PATH_PARAMS);
  const originPolicy = new OriginPolicy({
    listenHost: options.host,
    ...(options.externalUri !== undefined ? { externalUri: options.externalUri } : {}),
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('x-epoch-millis', String(Date.now()));
    try {
      originPolicy.check(req.headers);
      cx.auth.check(req);
      const { segments, query } = parseTarget(req.url ?? '/');
      const { handler, params } = router.match(req.method ?? 'GET', segments);
      await handler({ req, res, params, query });
    } catch (error) {
      fail(cx, req, res, error);
    }
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log('error', `unhandled failure answering ${req.method} ${req.url}: ${String(error)}`);
      res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: pemFiles(options.tls.certFile), key: pemFiles(options.tls.keyFile) }, listener)
    : createHttpServer(listener);
  refuseForeignUpgrades(server, originPolicy, log);
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new HyperfoilError('LISTEN_FAILED',
      `cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE'
        ? 'the port is in use (is another controller running?); choose another port'
        : error.message}`, { cause: error })));
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  server.on('error', (error) => log('error', `REST server: ${error.message}`));
  boundPort = (server.address() as AddressInfo).port;
  const unspecified = options.host === '0.0.0.0' || options.host === '::' || options.host === '';
  const urlHost = unspecified ? '127.0.0.1' : options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `${scheme}://${urlHost}:${boundPort}`,
    port: boundPort,
    warnings,
    server,
    routes: router.table,
    originPolicy,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
