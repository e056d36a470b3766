/**
 * Small helpers for answering and for reading requests: bodies with a size limit, typed query parameters and
 * content negotiation on Accept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json';
export const YAML_TYPE = 'text/vnd.yaml; charset=utf-8';

export function send(
  res: ServerResponse, status: number, body: string | Buffer, contentType: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', data.length);
  res.statusCode = status;
  res.end(data);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  send(res, status, JSON.stringify(value ?? null), JSON_TYPE, headers);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  send(res, status, text.endsWith('\n') || text === '' ? text : `${text}\n`, TEXT, headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Readonly<Record<string, string>> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.end();
}

/** After refusing a body, at most this much more of it is read and thrown away (see `refuseBody`). */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * A client still sending a body it was refused gets a connection reset, and then often never reads the answer.
 * So the rest of the body is read and discarded (up to a bound) while the 413 goes out; a body larger than that
 * bound gets the answer with `Connection: close`, and the connection is cut if the client keeps sending.
 */
function refuseBody(req: IncomingMessage, maxBytes: number, alreadyRead: number): HttpError {
  const message = `the request body is larger than the limit of ${maxBytes} bytes`;
  const declared = Number(req.headers['content-length']);
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
  const hopeless = Number.isFinite(declared) && declared - alreadyRead > DRAIN_LIMIT_BYTES;
  return new HttpError(413, message, hopeless ? { Connection: 'close' } : {});
}

/**
 * The whole request body, refused with 413 as soon as it is known to exceed `maxBytes` (from Content-Length before
 * reading anything, else while reading).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(refuseBody(req, maxBytes, 0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        req.off('data', onData);
        reject(refuseBody(req, maxBytes, size));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.once('error', (error) => {
      if (!failed) reject(new HttpError(400, `the request body could not be read: ${error.message}`));
    });
  });
}

/** `true`/`false` (any case); an empty value or the bare name (`?force`) counts as true. */
export function queryFlag(query: URLSearchParams, name: string, fallback = false): boolean {
  const value = query.get(name);
  if (value === null) return fallback;
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'true') return true;
  if (lower === 'false') return false;
  throw new HttpError(400, `query parameter \`${name}\` must be true or false, not \`${value}\``);
}

export function queryInteger(query: URLSearchParams, name: string, fallback: number | undefined, min: number): number {
  const value = query.get(name);
  if (value === null || value === '') {
    if (fallback === undefined) throw new HttpError(400, `query parameter \`${name}\` is required`);
    return fallback;
  }
  const parsed = /^-?\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new HttpError(400, `query parameter \`${name}\` must be an integer of at least ${min}, not \`${value.slice(0, 40)}\``);
  }
  return parsed;
}

export function queryRequired(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw new HttpError(400, `query parameter \`${name}\` is required`);
  return value;
}

/** `templateParam=NAME=VALUE` (repeatable) as a record; a value may be empty, the name may not. */
export function templateParams(query: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {};
  for (const entry of query.getAll('templateParam')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new HttpError(400, `templateParam \`${entry.slice(0, 80)}\` must be NAME=VALUE`);
    }
    params[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return params;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Picks the type to answer with: the offered type the client rates highest (ties go to the earlier offer), the first
 * offer when there is no Accept header, `undefined` when the client accepts none of them.
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept.split(',').map((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    return { type, quality: Number.isFinite(quality) ? quality : 0 };
  });
  let best: string | undefined;
  let bestQuality = 0;
  let bestSpecificity = -1;
  for (const offer of offered) {
    const major = offer.split('/')[0];
    // The most specific range that matches an offer decides its quality (RFC 9110 §12.5.1).
    let quality = 0;
    let specificity = -1;
    for (const range of ranges) {
      const s = range.type === offer ? 2 : range.type === `${major}/*` ? 1 : range.type === '*/*' ? 0 : -1;
      if (s > specificity) {
        specificity = s;
        quality = range.quality;
      }
    }
    if (quality <= 0) continue;
    if (quality > bestQuality || (quality === bestQuality && specificity > bestSpecificity)) {
      best = offer;
      bestQuality = quality;
      bestSpecificity = specificity;
    }
  }
  return best;
}
