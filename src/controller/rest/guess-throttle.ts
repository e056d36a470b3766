/**
 * Slows down password guessing, per client address. The first `FREE_FAILURES` wrong credentials cost nothing (a
 * typo); from then on every failure blocks that address for a doubling time (1 s, 2 s, 4 s … at most
 * `MAX_BLOCK_MS`), during which its requests get 429 with `Retry-After` without their credentials being looked at.
 * A success clears the address's record; other addresses are never affected. At most `MAX_ADDRESSES` records are
 * kept (the oldest is dropped), and a record with no failure for `FORGET_AFTER_MS` is forgotten.
 */
import { HttpError } from './http-error.js';

export const FREE_FAILURES = 5;
export const FIRST_BLOCK_MS = 1000;
export const MAX_BLOCK_MS = 60_000;
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_ADDRESSES = 10_000;

interface Record {
  failures: number;
  lastFailureMs: number;
  blockedUntilMs: number;
}

export class GuessThrottle {
  /** address → record, least recently failed first. */
  private readonly records = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  get trackedAddresses(): number {
    return this.records.size;
  }

  /** Throws 429 while `address` is blocked. */
  admit(address: string): void {
    const record = this.records.get(address);
    if (!record) return;
    const now = this.now();
    if (now - record.lastFailureMs > FORGET_AFTER_MS) {
      this.records.delete(address);
      return;
    }
    if (now < record.blockedUntilMs) {
      const retryAfterS = Math.ceil((record.blockedUntilMs - now) / 1000);
      throw new HttpError(429, `too many wrong passwords from ${address}: wait ${retryAfterS} s before trying again`,
        { 'Retry-After': String(retryAfterS) });
    }
  }

  failed(address: string): void {
    const now = this.now();
    const record = this.records.get(address) ?? { failures: 0, lastFailureMs: now, blockedUntilMs: 0 };
    this.records.delete(address); // re-inserted last: the map stays in failure order
    record.failures++;
    record.lastFailureMs = now;
    if (record.failures >= FREE_FAILURES) {
      const exponent = Math.min(record.failures - FREE_FAILURES, 30);
      record.blockedUntilMs = now + Math.min(MAX_BLOCK_MS, FIRST_BLOCK_MS * 2 ** exponent);
    }
    this.records.set(address, record);
    while (this.records.size > MAX_ADDRESSES) this.records.delete(this.records.keys().next().value!);
  }

  succeeded(address: string): void {
    this.records.delete(address);
  }
}
