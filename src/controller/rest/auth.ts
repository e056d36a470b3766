/**
 * Hyperfoil's controller authentication: with a password set, every request needs HTTP basic auth (the user name is
 * ignored) or `Authorization: Bearer <token>` with a token from `GET /token`. Missing credentials get 401 with a
 * `WWW-Authenticate` challenge; a wrong password or unknown token gets 403, and repeated failures from one address
 * get 429 for a while (guess-throttle.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GuessThrottle } from './guess-throttle.js';
import { HttpError } from './http-error.js';

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Hyperfoil", charset="UTF-8"' };
/** Tokens stay valid this long after they were issued. */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** At most this many live tokens; issuing another drops the oldest. */
const MAX_TOKENS = 1000;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class Authenticator {
  private readonly passwordDigest: Buffer | undefined;
  /** token → expiry (epoch ms), in issue order. */
  private readonly tokens = new Map<string, number>();
  private readonly throttle: GuessThrottle;

  constructor(password: string | undefined, private readonly now: () => number = Date.now) {
    this.passwordDigest = password === undefined ? undefined : digest(password);
    this.throttle = new GuessThrottle(now);
  }

  get enabled(): boolean {
    return this.passwordDigest !== undefined;
  }

  /** Throws HttpError 401/403 unless the request carries valid credentials (always passes without a password). */
  check(req: IncomingMessage): void {
    if (!this.passwordDigest) return;
    const address = req.socket.remoteAddress ?? '';
    this.throttle.admit(address);
    try {
      this.verify(req);
    } catch (error) {
      if (error instanceof HttpError && error.status === 403) this.throttle.failed(address);
      throw error;
    }
    this.throttle.succeeded(address);
  }

  private verify(req: IncomingMessage): void {
    if (!this.passwordDigest) return;
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new HttpError(401,
        'this controller needs a password: send it with HTTP basic auth (any user name) or use a bearer token from GET /token',
        CHALLENGE);
    }
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (value === '' || colon < 0) throw new HttpError(401, 'malformed basic credentials: expected base64 of `user:password`', CHALLENGE);
      if (!timingSafeEqual(digest(decoded.slice(colon + 1)), this.passwordDigest)) {
        throw new HttpError(403, 'wrong password');
      }
      return;
    }
    if (scheme === 'bearer') {
      const expiresMs = this.tokens.get(value);
      if (expiresMs === undefined || expiresMs <= this.now()) {
        if (expiresMs !== undefined) this.tokens.delete(value);
        throw new HttpError(403, 'unknown or expired token: get a new one from GET /token');
      }
      return;
    }
    throw new HttpError(401, `unsupported authorization scheme \`${scheme}\`: use Basic or Bearer`, CHALLENGE);
  }

  issueToken(): string {
    const token = randomBytes(24).toString('base64url');
    while (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, this.now() + TOKEN_LIFETIME_MS);
    return token;
  }
}
