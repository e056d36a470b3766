// Normalized pool settings, from the benchmark's `http` section (inventory §2.3).

import { HttpConfigError } from './errors.js';
import net from 'node:net';

export type ConnectionStrategy = 'SHARED_POOL' | 'SESSION_POOLS' | 'OPEN_ON_REQUEST' | 'ALWAYS_NEW';

export const CONNECTION_STRATEGIES: readonly ConnectionStrategy[] = ['SHARED_POOL', 'SESSION_POOLS', 'OPEN_ON_REQUEST', 'ALWAYS_NEW'];

/** `sharedConnections` in its long form. */
export interface PoolSize {
  /** Connections opened at start and kept open (a closed one is replaced). */
  core: number;
  /** Upper bound of open connections. */
  max: number;
  /** Keep at least `used + buffer` connections open (within `max`). */
  buffer: number;
  /** Close connections idle for longer than this (the pool then reopens up to `core`); <= 0: never. */
  keepAliveTimeMs: number;
}

/** `sharedConnections` as written in YAML: an int, or `{core, max, buffer, keepAliveTime}` (keepAliveTime in ms). */
export type SharedConnectionsInput = number | { core?: number; max?: number; buffer?: number; keepAliveTime?: number };

/**
 * Normalizes `sharedConnections`: an int n means core = max = n, buffer 0, no keep-alive limit.
 * In the long form a missing `max` defaults to `core`, a missing `core` to 0 (Hyperfoil's builder).
 * This is one thread's share; splitting among agents and threads is the planner's job.
 */
export function normalizePoolSize(input: SharedConnectionsInput): PoolSize {
  if (typeof input === 'number') {
    checkCount('sharedConnections', input, 1);
    return { core: input, max: input, buffer: 0, keepAliveTimeMs: 0 };
  }
  const core = input.core ?? 0;
  const max = input.max ?? core;
  const buffer = input.buffer ?? 0;
  checkCount('sharedConnections.core', core, 0);
  checkCount('sharedConnections.max', max, 1);
  checkCount('sharedConnections.buffer', buffer, 0);
  if (core > max) {
    throw new HttpConfigError('HTTP_BAD_POOL_SIZE', `sharedConnections.core (${core}) is larger than sharedConnections.max (${max}); make max >= core.`);
  }
  if (buffer > max) {
    throw new HttpConfigError('HTTP_BAD_POOL_SIZE', `sharedConnections.buffer (${buffer}) is larger than sharedConnections.max (${max}); make max >= buffer.`);
  }
  return { core, max, buffer, keepAliveTimeMs: input.keepAliveTime ?? 0 };
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new HttpConfigError('HTTP_BAD_POOL_SIZE', `${name} must be an integer >= ${min}, got ${value}.`);
  }
}

export function parseConnectionStrategy(value: string): ConnectionStrategy {
  const found = CONNECTION_STRATEGIES.find((s) => s === value);
  if (found === undefined) {
    throw new HttpConfigError('HTTP_BAD_STRATEGY', `Unknown connectionStrategy ${JSON.stringify(value)}; use one of ${CONNECTION_STRATEGIES.join(', ')}.`);
  }
  return found;
}

/** One entry of `addresses`. */
export interface ConnectAddress {
  host: string;
  port: number;
}

/**
 * Parses `ip[:port]` / `hostname[:port]` / `[ipv6]:port` / bare IPv6; the port defaults to the
 * target's port.
 */
export function parseAddress(text: string, defaultPort: number): ConnectAddress {
  const value = text.trim();
  const fail = (): never => {
    throw new HttpConfigError('HTTP_BAD_ADDRESS', `Address ${JSON.stringify(text)} is not valid; write ip, ip:port, hostname:port or [ipv6]:port.`);
  };
  if (value.length === 0) fail();
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) fail();
    const host = value.slice(1, close);
    if (net.isIPv6(host) === false) fail();
    const rest = value.slice(close + 1);
    if (rest === '') return { host, port: defaultPort };
    if (!rest.startsWith(':')) fail();
    return { host, port: parsePort(rest.slice(1), fail) };
  }
  if (net.isIPv6(value)) return { host: value, port: defaultPort };
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { host: value, port: defaultPort };
  const host = value.slice(0, colon);
  if (host.length === 0 || host.includes(':')) fail();
  return { host, port: parsePort(value.slice(colon + 1), fail) };
}

function parsePort(text: string, fail: () => never): number {
  if (!/^[0-9]{1,5}$/.test(text)) fail();
  const port = Number(text);
  if (port < 1 || port > 65535) fail();
  return port;
}
