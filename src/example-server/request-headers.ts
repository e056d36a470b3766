import type { IncomingHttpHeaders } from 'node:http';

/** The first value of a header (names are lower-case in Node's header objects). */
export function headerValue(headers: IncomingHttpHeaders, lowerCaseName: string): string | undefined {
  const value = headers[lowerCaseName];
  return Array.isArray(value) ? value[0] : value;
}

/** True when a `Cookie` header carries `name=value` (exact value; several Cookie headers are joined by Node). */
export function hasCookie(headers: IncomingHttpHeaders, name: string, value: string): boolean {
  const raw = headers.cookie;
  if (raw === undefined) return false;
  const lines = Array.isArray(raw) ? raw : [raw];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      if (pair.slice(0, eq).trim() === name && pair.slice(eq + 1).trim() === value) return true;
    }
  }
  return false;
}

/** Splits `Authorization: <scheme> <credentials>`; the scheme is lower-cased (schemes are case-insensitive). */
export function authorization(headers: IncomingHttpHeaders): { scheme: string; credentials: string } | undefined {
  const value = headerValue(headers, 'authorization')?.trim();
  if (value === undefined || value === '') return undefined;
  const space = value.search(/\s/);
  if (space < 0) return { scheme: value.toLowerCase(), credentials: '' };
  return { scheme: value.slice(0, space).toLowerCase(), credentials: value.slice(space + 1).trim() };
}

/** The media type of `Content-Type` without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(headers: IncomingHttpHeaders): string | undefined {
  const value = headerValue(headers, 'content-type');
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  return (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}
