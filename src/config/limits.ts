/**
 * Upper bounds on sizes and rates, checked when a benchmark is read. Each is far above what real hardware can do
 * (a whole cluster, not one machine), so a benchmark that passes them is limited by the machines, never by us; a
 * value beyond one is a typo (`1e15`) that would otherwise allocate sessions or timers until the process dies.
 * The message names the limit, so that a user who really needs more knows what to ask for.
 */
import type { NumberLimit } from './codec.js';

/** Users started per second, per phase (a million: Node starts a few tens of thousands per core). */
export const MAX_USERS_PER_SEC: NumberLimit = { value: 1_000_000, name: 'MAX_USERS_PER_SEC' };
/** Concurrent users or preallocated sessions of one phase (each session holds its variables and request slots). */
export const MAX_SESSIONS: NumberLimit = { value: 10_000_000, name: 'MAX_SESSIONS' };
/** Connections of one HTTP target (a TCP source address has about 64 k ports per destination). */
export const MAX_CONNECTIONS: NumberLimit = { value: 1_000_000, name: 'MAX_CONNECTIONS' };
/** Requests pipelined on one HTTP/1.1 connection, or concurrent streams of one HTTP/2 connection. */
export const MAX_REQUESTS_PER_CONNECTION: NumberLimit = { value: 65_536, name: 'MAX_REQUESTS_PER_CONNECTION' };
/** Threads per agent. */
export const MAX_THREADS: NumberLimit = { value: 1024, name: 'MAX_THREADS' };
/** Phase durations, start times, delays and timeouts: 30 days. */
export const MAX_DURATION_MS: NumberLimit = { value: 30 * 24 * 3600 * 1000, name: 'MAX_DURATION (30 days)' };
/** A data file read into memory (request bodies from files): 1 GiB. */
export const MAX_FILE_BYTES: NumberLimit = { value: 1024 * 1024 * 1024, name: 'MAX_FILE_SIZE (1 GiB)' };
