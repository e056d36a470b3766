import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BodyRoute } from './route.js';
import { isBodyRoute } from './route.js';
import type { Router } from './router.js';
import type { CannedResponse } from './response.js';
import { BAD_REQUEST, INTERNAL_ERROR, NOT_FOUND, PAYLOAD_TOO_LARGE } from './response.js';
import type { RequestLogger } from './request-log.js';
import { formatRequestLine } from './request-log.js';

/** What we use of a request; satisfied by `http.IncomingMessage` and by the HTTP/2 compatibility request. */
export interface RequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
  readonly socket: { readonly remoteAddress?: string | undefined } | null;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What we use of a response; satisfied by `http.ServerResponse` and by the HTTP/2 compatibility response. */
export interface ResponseLike {
  readonly headersSent: boolean;
  readonly statusCode: number;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: Buffer): unknown;
  once(event: 'finish', listener: () => void): unknown;
  destroy(error?: Error): unknown;
}

export type RequestHandler = (req: RequestLike, res: ResponseLike) => void;

function send(res: ResponseLike, response: CannedResponse): void {
  res.writeHead(response.status, response.headers as Record<string, string>);
  res.end(response.body);
}

/** Reads the body of a route that needs it, capped at `route.maxBodyBytes` (413 beyond, without buffering more). */
function serveWithBody(route: BodyRoute, req: RequestLike, res: ResponseLike): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (chunk) => {
    if (done) return;
    size += chunk.length;
    if (size > route.maxBodyBytes) {
      done = true;
      chunks.length = 0;
      send(res, PAYLOAD_TOO_LARGE);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    let response: CannedResponse;
    try {
      response = route.respond(Buffer.concat(chunks, size), req.headers);
    } catch {
      response = INTERNAL_ERROR;
    }
    send(res, response);
  });
  req.on('error', () => {
    done = true;
  });
}

/**
 * Builds the request listener shared by the HTTP and HTTPS servers. Static routes answer from pre-encoded bytes;
 * nothing a client sends can throw out of here (a broken route yields 500).
 */
export function createRequestHandler(router: Router, scheme: 'http' | 'https', log: RequestLogger | undefined): RequestHandler {
  return (req, res) => {
    if (log !== undefined) {
      const startedMs = performance.now();
      const method = req.method ?? '?';
      const target = req.url ?? '';
      const remote = req.socket?.remoteAddress ?? '-'; // read now: an HTTP/2 stream forgets it once closed
      res.once('finish', () => {
        log(formatRequestLine(remote, scheme, method, target, req.httpVersion, res.statusCode,
          performance.now() - startedMs));
      });
    }
    try {
      const lookup = router.find(req.method ?? '', req.url ?? '', req.headers);
      if (lookup.kind === 'route') {
        const route = lookup.route;
        if (isBodyRoute(route)) serveWithBody(route, req, res);
        else send(res, route.response);
      } else {
        send(res, lookup.kind === 'bad-target' ? BAD_REQUEST : NOT_FOUND);
      }
    } catch {
      if (res.headersSent) res.destroy();
      else send(res, INTERNAL_ERROR);
    }
  };
}
