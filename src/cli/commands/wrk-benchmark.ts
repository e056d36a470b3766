/**
 * The benchmark behind `hyperfoil wrk` and `wrk2`, as Hyperfoil builds it: a `calibration` phase (skipped when the
 * warm-up is 0) and a `test` phase that starts once calibration has terminated, both running the same one-request
 * scenario. wrk is a closed model (`always`, one user per connection); wrk2 an open model (`constantRate` with even
 * gaps). The benchmark is produced as YAML text because agents and worker threads receive benchmarks as their source
 * and parse it themselves: the facade then runs through exactly the same path as `hyperfoil run`.
 */
import { stringify } from 'yaml';
import { UsageError } from '../args.js';

export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly threads: number;
  readonly durationMs: number;
  /** 0: no calibration phase. */
  readonly warmupMs: number;
  /** `K: V` strings as given to `-H`. */
  readonly headers: readonly string[];
  readonly timeoutMs: number;
  /** wrk2's `-R` (requests per second, all threads together); undefined for wrk. */
  readonly ratePerSec?: number;
  readonly enableHttp2: boolean;
  readonly useHttpCache: boolean;
}

export interface WrkTarget {
  /** `http://host:port` */
  readonly origin: string;
  /** Path and query, `/` at least. */
  readonly path: string;
}

/** Splits the URL wrk is given; only http and https are accepted, as wrk does. */
export function parseWrkUrl(url: string): WrkTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`\`${url}\` is not a URL: give one such as http://localhost:8080/path`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`\`${url}\`: only http:// and https:// URLs can be tested`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError(`\`${url}\`: credentials in the URL are not supported; send them with -H 'Authorization: …'`);
  }
  const port = parsed.port !== '' ? `:${parsed.port}` : '';
  return { origin: `${parsed.protocol}//${parsed.hostname}${port}`, path: `${parsed.pathname || '/'}${parsed.search}` };
}

/** `K: V` → [K, V]; the value keeps inner colons (`Host: a:80`). */
export function parseWrkHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (name === '' || /[\s:]/.test(name)) throw new UsageError(`header \`${text}\` must be \`Name: value\``);
  return [name, text.slice(colon + 1).trim()];
}

/** Our patterns read `${…}` as a variable: a literal one from the command line is escaped as `$${…}`. */
function literal(text: string): string {
  return text.replaceAll('${', () => '$${');
}

/** Sessions of an open-model phase. See `buildWrkBenchmark`. */
export function wrk2MaxSessions(ratePerSec: number, connections: number): number {
  return Math.max(connections, Math.ceil(ratePerSec));
}

/**
 * The benchmark as YAML text. Differences from Hyperfoil's wrk2 facade, on purpose: the open-model phases get
 * `max(connections, rate)` sessions (one second of arrivals) instead of rate × 15, because every session is
 * allocated up front and 15 s of arrivals at 50k req/s would be 750k sessions; a backlog longer than one second
 * shows up as throttled starts and lateness, which the run reports as generator saturation. wrk2 times latency from
 * the scheduled send time (no coordinated omission), so `compensateInternalLatency` is on for wrk2.
 */
export function buildWrkBenchmark(options: WrkOptions, name: string): string {
  const target = parseWrkUrl(options.url);
  const headers = options.headers.map((h) => {
    const [key, value] = parseWrkHeader(h);
    return { [key]: literal(value) };
  });
  const scenario = [{
    request: [{
      httpRequest: {
        GET: literal(target.path),
        timeout: `${options.timeoutMs}ms`,
        ...(headers.length > 0 ? { headers } : {}),
        handler: { rawBytes: [{ transferSizeRecorder: { key: 'transfer' } }] },
      },
    }],
  }];
  const phase = (durationMs: number, maxDurationMs: number, extra: Record<string, unknown>, rateSessions: number): Record<string, unknown> => {
    const common = { duration: `${durationMs}ms`, maxDuration: `${maxDurationMs}ms`, ...extra, scenario: { initialSequences: scenario, maxRequests: 1, maxSequences: 1 } };
    if (options.ratePerSec === undefined) return { always: { users: options.connections, ...common } };
    return { constantRate: { usersPerSec: options.ratePerSec, variance: false, maxSessions: rateSessions, ...common } };
  };
  const sessions = options.ratePerSec === undefined ? 0 : wrk2MaxSessions(options.ratePerSec, options.connections);
  const phases: Array<Record<string, unknown>> = [];
  if (options.warmupMs > 0) {
    phases.push({ calibration: phase(options.warmupMs, options.warmupMs + options.timeoutMs, {}, sessions) });
  }
  phases.push({ test: phase(options.durationMs, options.durationMs, options.warmupMs > 0 ? { startAfterStrict: 'calibration' } : {}, sessions) });
  const benchmark = {
    name,
    threads: options.threads,
    failurePolicy: 'CONTINUE',
    http: {
      host: target.origin,
      allowHttp2: options.enableHttp2,
      useHttpCache: options.useHttpCache,
      sharedConnections: options.connections,
    },
    ergonomics: {
      repeatCookies: false,
      userAgentFromSession: false,
      ...(options.ratePerSec !== undefined ? { compensateInternalLatency: true } : {}),
    },
    phases,
  };
  return `# Generated by \`hyperfoil ${name}\`\n${stringify(benchmark, { lineWidth: 0 })}`;
}
