/**
 * A response built once and sent many times: status, header block and body bytes are fixed.
 *
 * Header names are kept as written (HTTP/1.1 sends them that way; HTTP/2 lower-cases them). Content-Length is
 * always present. A non-empty body without an explicit Content-Type gets `text/plain; charset=utf-8`, which is
 * what the original example server (a Go program that sniffs the body) sent for the JSON lists, so a client
 * that checks content types sees the same thing from us.
 */
export interface CannedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';

export function cannedResponse(status: number, headers: Readonly<Record<string, string>> = {}, body = ''): CannedResponse {
  const bodyBytes = Buffer.from(body, 'utf8');
  const all: Record<string, string> = {};
  let hasContentType = false;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-length') continue;
    if (name.toLowerCase() === 'content-type') hasContentType = true;
    all[name] = value;
  }
  if (!hasContentType && bodyBytes.length > 0) all['Content-Type'] = DEFAULT_CONTENT_TYPE;
  all['Content-Length'] = String(bodyBytes.length);
  return Object.freeze({ status, headers: Object.freeze(all), body: bodyBytes });
}

/** A JSON array with one compact element per line: easy to read in a terminal, small on the wire. */
export function jsonArrayText(elements: readonly unknown[]): string {
  return `[\n${elements.map((element) => `  ${JSON.stringify(element)}`).join(',\n')}\n]\n`;
}

/** 404 for every request no route claims, as the original server answered: no body. */
export const NOT_FOUND = cannedResponse(404);
/** 400 for a request target we cannot interpret (for example a broken percent-escape). */
export const BAD_REQUEST = cannedResponse(400);
/** 413 when a body we must read (the login form) is larger than we accept. */
export const PAYLOAD_TOO_LARGE = cannedResponse(413);
/** 500 if a route throws: a bug on our side, never a crash. */
export const INTERNAL_ERROR = cannedResponse(500);
