import { createServer as createHttpServer, STATUS_CODES } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createSecureServer, createServer as createH2cServer } from 'node:http2';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { listenError } from './errors.js';
import { createRequestHandler } from './handler.js';
import type { RequestHandler } from './handler.js';
import { stdoutLogger } from './request-log.js';
import type { RequestLogger } from './request-log.js';
import { Router } from './router.js';
import { allRoutes } from './routes/all-routes.js';
import { loadDemoTls } from './tls-files.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_HTTPS_PORT = 8084;

export interface ExampleServerOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Plain HTTP/1.1 port; default 8080, 0 picks a free port. */
  httpPort?: number;
  /** HTTPS port (HTTP/2 and HTTP/1.1 by ALPN); default 8084, 0 picks a free port, null switches HTTPS off. */
  httpsPort?: number | null;
  /** No request log. */
  quiet?: boolean;
  /** Where the request log goes (default standard output); ignored when quiet. */
  log?: RequestLogger;
  /** Offer HTTP/2 on the HTTPS port (default true, as the original server did); false = HTTP/1.1 only. */
  http2?: boolean;
  /** The plain port speaks HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1 (default false). */
  h2c?: boolean;
}

export interface RunningExampleServer {
  readonly httpUrl: string;
  readonly httpsUrl?: string;
  /** Stops listening, drops open connections (keep-alive ones included) and resolves when both servers are closed. */
  close(): Promise<void>;
}

type AnyServer = HttpServer | Http2SecureServer | Http2Server;

/** Tracks sockets so that close() does not wait for idle keep-alive connections. */
function trackSockets(server: AnyServer, sockets: Set<Socket>): void {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
}

/** A request we cannot parse gets a short error response and the connection is closed; the server carries on. */
function answerClientError(log: RequestLogger | undefined) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    const code = error.code ?? '';
    if (code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log?.(`${(socket as Socket).remoteAddress ?? '-'} rejected a malformed request (${code || error.message}): ${status}`);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  };
}

function listen(server: AnyServer, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(listenError(error, host, port, what));
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: AnyServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  });
}

function urlOf(scheme: string, host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

function createHttps(handler: RequestHandler, http2: boolean): Http2SecureServer {
  const tls = loadDemoTls();
  return createSecureServer({
    key: tls.key,
    cert: tls.cert,
    allowHTTP1: true,
    ALPNProtocols: http2 ? ['h2', 'http/1.1'] : ['http/1.1'],
  }, handler);
}

/**
 * Starts the example server: the target of the quickstarts and examples (HTTP on 8080, HTTPS on 8084 by default).
 * Rejects with an ExampleServerError (e.g. PORT_IN_USE) when a port cannot be bound; nothing stays open then.
 */
export async function startExampleServer(options: ExampleServerOptions = {}): Promise<RunningExampleServer> {
  const host = options.host ?? DEFAULT_HOST;
  const httpPort = options.httpPort ?? DEFAULT_HTTP_PORT;
  const httpsPort = options.httpsPort === undefined ? DEFAULT_HTTPS_PORT : options.httpsPort;
  const log = options.quiet === true ? undefined : (options.log ?? stdoutLogger);
  const router = new Router(allRoutes);

  const servers: { server: AnyServer; sockets: Set<Socket> }[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map(({ server, sockets }) => closeServer(server, sockets)));
  };

  let http: HttpServer | Http2Server;
  if (options.h2c === true) {
    http = createH2cServer(createRequestHandler(router, 'http', log));
    http.on('sessionError', () => { /* the session is destroyed by Node; nothing else to do */ });
  } else {
    http = createHttpServer({ noDelay: true }, createRequestHandler(router, 'http', log));
    // Keep idle keep-alive connections open as long as the client wants, as the original server did: a load
    // driver that keeps a pool of mostly idle connections must not see them closed under its feet.
    http.keepAliveTimeout = 0;
  }
  servers.push({ server: http, sockets: new Set() });

  let https: Http2SecureServer | undefined;
  if (httpsPort !== null) {
    https = createHttps(createRequestHandler(router, 'https', log), options.http2 ?? true);
    servers.push({ server: https, sockets: new Set() });
  }

  for (const { server, sockets } of servers) {
    trackSockets(server, sockets);
    server.on('clientError', answerClientError(log));
  }
  https?.on('tlsClientError', (error: Error) => log?.(`TLS handshake failed: ${error.message}`));
  https?.on('sessionError', () => { /* the session is destroyed by Node; nothing else to do */ });

  let httpUrl: string;
  let httpsUrl: string | undefined;
  try {
    httpUrl = urlOf('http', host, await listen(http, httpPort, host, 'HTTP'));
    if (https !== undefined && httpsPort !== null) httpsUrl = urlOf('https', host, await listen(https, httpsPort, host, 'HTTPS'));
  } catch (error) {
    await closeAll();
    throw error;
  }
  for (const { server } of servers) server.on('error', (error: Error) => log?.(`server error: ${error.message}`));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeAll());
  return httpsUrl === undefined ? { httpUrl, close } : { httpUrl, httpsUrl, close };
}
