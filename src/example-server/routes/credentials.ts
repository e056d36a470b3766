import type { IncomingHttpHeaders } from 'node:http';
import { cannedResponse } from '../response.js';
import type { CannedResponse } from '../response.js';
import type { RouteDefinition } from '../route.js';
import { authorization, hasCookie, mediaType } from '../request-headers.js';

const BASE = '/howto/credentials';

/** The one token this demo hands out and accepts. It protects nothing: it is part of the example. */
export const DEMO_TOKEN = 'some-secret-token';
export const TOKEN_COOKIE = 'token';
export const LOGIN_PATH = `${BASE}/login`;
export const SECURE_PATH = `${BASE}/secure`;

/** The login form is tiny; anything larger than this is answered with 413 without being buffered. */
export const MAX_LOGIN_FORM_BYTES = 64 * 1024;

/**
 * The cookie exactly as the original example server set it. Its `Max-Age: 300` attribute is malformed (a colon
 * instead of `=`); RFC 6265 §5.2 makes clients ignore an attribute they cannot parse, so the cookie lives for the
 * session. It is kept as is because client cookie parsers must cope with it when running the reference examples.
 */
export const LOGIN_SET_COOKIE = `${TOKEN_COOKIE}=${DEMO_TOKEN}; Max-Age: 300; Secure`;

const isBasicAuth = (headers: IncomingHttpHeaders): boolean =>
  authorization(headers)?.scheme === 'basic';

const hasBearerToken = (headers: IncomingHttpHeaders): boolean => {
  const auth = authorization(headers);
  return auth !== undefined && auth.scheme === 'bearer' && auth.credentials === DEMO_TOKEN;
};

const isForm = (headers: IncomingHttpHeaders): boolean =>
  mediaType(headers) === 'application/x-www-form-urlencoded';

/**
 * The welcome document after a form login. The original definition had a comma missing between its two members,
 * which made it invalid JSON; we send the same members as valid JSON so that a `json` processor on `.token` works.
 */
export function formLoginResponse(body: Buffer): CannedResponse {
  const username = new URLSearchParams(body.toString('utf8')).get('username') ?? '';
  const document = { message: `Welcome, ${username}!`, token: DEMO_TOKEN };
  return cannedResponse(200, {
    'X-Token': DEMO_TOKEN,
    'Set-Cookie': LOGIN_SET_COOKIE,
    'Content-Type': 'application/json',
  }, `${JSON.stringify(document, null, 2)}\n`);
}

/**
 * The credentials how-to, served on HTTPS (8084) as well as HTTP:
 * - `GET login` without credentials → 401 with a Basic challenge;
 * - `GET login` with any Basic credentials → 302 to the secure page, the token in `X-Token`;
 * - `POST login` with a url-encoded form → 200, the token in `X-Token`, a `token` cookie and a JSON welcome;
 * - `GET secure` → 200 with the token as a Bearer credential or as the `token` cookie, else 401 (no challenge).
 * Passwords are never checked.
 */
export const credentialsRoutes: readonly RouteDefinition[] = [
  {
    method: 'GET', path: LOGIN_PATH, priority: 100, when: isBasicAuth,
    response: cannedResponse(302, { 'X-Token': DEMO_TOKEN, Location: SECURE_PATH }),
  },
  {
    method: 'GET', path: LOGIN_PATH, priority: 0,
    response: cannedResponse(401, { 'WWW-Authenticate': 'Basic realm="Hyperfoil"' }),
  },
  { method: 'POST', path: LOGIN_PATH, when: isForm, maxBodyBytes: MAX_LOGIN_FORM_BYTES, respond: formLoginResponse },
  { method: 'GET', path: SECURE_PATH, priority: 100, when: hasBearerToken, response: cannedResponse(200) },
  {
    method: 'GET', path: SECURE_PATH, priority: 100, when: (headers) => hasCookie(headers, TOKEN_COOKIE, DEMO_TOKEN),
    response: cannedResponse(200),
  },
  { method: 'GET', path: SECURE_PATH, priority: 0, response: cannedResponse(401) },
];
