/** What the REST server is started with, and what its route handlers share. */
import type { RunService, VersionJson } from '../api.js';
import type { BenchmarkStore } from '../benchmark-store.js';
import type { Authenticator } from './auth.js';

export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string) => void;

/**
 * Optional capabilities a run service may have beyond `RunService`; the routes that need them answer 501 (or fall
 * back to the finished run's export) when they are absent.
 */
export interface RunServiceExtras {
  /** Plain-text debug listing of the sessions on every agent (`GET /run/{id}/sessions`). */
  listSessions?(id: string, includeInactive: boolean): string | Promise<string>;
  /** Plain-text debug listing of the connections on every agent (`GET /run/{id}/connections`). */
  listConnections?(id: string): string | Promise<string>;
  /** `{phase: {agent: usage}}` while a run is going; a finished run's `all.json` has it too. */
  agentCpu?(id: string): unknown;
}

export interface RestServerOptions {
  /** Address to listen on; a non-loopback address without a password gets a warning. */
  readonly host: string;
  /** 0 picks a free port (see `RestServer.port`). */
  readonly port: number;
  /** PEM files (a comma-separated list or an array for chains/several keys); switches the server to HTTPS. */
  readonly tls?: { readonly certFile: string | readonly string[]; readonly keyFile: string | readonly string[] };
  /** Turns on authentication for every route. */
  readonly password?: string;
  /**
   * A password without TLS is refused on a non-loopback address (it would travel in clear text) unless TLS ends at
   * a proxy in front of the controller.
   */
  readonly securedViaProxy?: boolean;
  readonly store: BenchmarkStore;
  readonly runs: RunService & RunServiceExtras;
  /** The controller's log file, served by `GET /log`. */
  readonly logFile?: string;
  /** Where an agent's log can be read on the controller (`GET /log/{agent}`); undefined → 404. */
  readonly agentLogFile?: (agent: string) => string | undefined;
  /** Directory whose files may be uploaded by `text/uri-list`; unset → those uploads get 503. */
  readonly loadDir?: string;
  /** CI trigger URL for benchmarks without their own `triggerUrl`: `start` then answers 301 (trigger flow). */
  readonly triggerUrl?: string;
  /** Advertised base URL for `Location` headers (default: from the request's Host); its host is served. */
  readonly externalUri?: string;
  /**
   * Host names the controller answers under besides loopback names, IP literals, the listen address and
   * `externalUri`'s host (origin-policy.ts); any other `Host` gets 403, which defeats DNS rebinding.
   */
  readonly allowedHosts?: readonly string[];
  /** Version information; `serverTime` is filled in per request. */
  readonly version: () => Omit<VersionJson, 'serverTime'> & { readonly serverTime?: number };
  /** Called once `GET /shutdown` has been answered. */
  readonly onShutdown: () => void;
  /** Largest accepted upload (`POST /benchmark`), default 16 MiB. */
  readonly maxUploadBytes?: number;
  /** Defaults to writing warnings and errors on stderr. */
  readonly log?: Logger;
}

export interface RestContext {
  readonly options: RestServerOptions;
  readonly store: BenchmarkStore;
  readonly runs: RunService & RunServiceExtras;
  readonly auth: Authenticator;
  readonly log: Logger;
  readonly maxUploadBytes: number;
  /** `http(s)://host:port` as the client addressed us (or `externalUri`). */
  baseUrl(headers: { readonly host?: string | undefined }): string;
}
