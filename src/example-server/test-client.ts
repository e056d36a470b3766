// Helpers for this folder's tests only: a small client over node:http, node:https and node:http2 that returns
// status, headers and body bytes exactly as received.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { loadDemoTls } from './tls-files.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly httpVersion: string;
}

export interface RequestSpec {
  readonly method?: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** The demo certificate as the only trusted CA: HTTPS tests verify the chain and the name `localhost`. */
export const demoCa = loadDemoTls().cert;

/** HTTP/1.1 (plain or TLS) with keep-alive agents, so tests also exercise connection reuse. */
export class Http1Client {
  private readonly agent: HttpAgent;
  constructor(private readonly baseUrl: string) {
    this.agent = baseUrl.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: demoCa, servername: 'localhost' })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  }

  send(spec: RequestSpec): Promise<RawResponse> {
    const url = new URL(spec.path, this.baseUrl);
    const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = requestFn(url, { method: spec.method ?? 'GET', headers: spec.headers ?? {}, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({
          status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), httpVersion: res.httpVersion,
        }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(spec.body);
    });
  }

  /** Sockets currently open in the agent (one when keep-alive reuses the connection). */
  openSockets(): number {
    return Object.values(this.agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0)
      + Object.values(this.agent.sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** HTTP/2 over TLS with ALPN; one session for all requests. */
export class Http2Client {
  readonly session: ClientHttp2Session;
  constructor(baseUrl: string) {
    this.session = http2Connect(baseUrl, { ca: demoCa, servername: 'localhost' });
    this.session.on('error', () => { /* surfaced through the request that fails */ });
  }

  send(spec: RequestSpec): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': spec.method ?? 'GET', ':path': spec.path, ...(spec.headers ?? {}) });
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (responseHeaders) => {
        status = Number(responseHeaders[':status']);
        const copy: Record<string, unknown> = { ...responseHeaders };
        delete copy[':status'];
        headers = copy as IncomingHttpHeaders;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks), httpVersion: '2.0' }));
      stream.on('error', reject);
      stream.end(spec.body);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}

/** Response headers without the ones every response carries (Date, Connection, Keep-Alive). */
export function significantHeaders(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const result: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'date' || name === 'connection' || name === 'keep-alive') continue;
    result[name] = value;
  }
  return result;
}
