/**
 * The frozen, validated benchmark: what the config layer produces and the plan, engine and controller consume.
 * Everything is data (no functions), so it can be sent to agents and worker threads as it is.
 * Units are in the names: `…Ms` milliseconds, `…Ns` nanoseconds, `…PerSec` per second.
 */
import type { Problem } from '../lib/index.js';
import type { StepSpec } from './steps/index.js';

// -------------------------------------------------------------------------------------------------------------
// Variables and patterns (compiled when the benchmark is read, so that a malformed one fails validation)

/** A session variable reference: `name`, or `name[.]` for the element of the current sequence instance. */
export interface VarRef {
  readonly name: string;
  /** `name[.]`: the element of array `name` at the index of the current sequence instance. */
  readonly indexed: boolean;
}

export type PatternFormat =
  | { readonly kind: 'plain' }
  | { readonly kind: 'urlencode' }
  | { readonly kind: 'base64encode' }
  | { readonly kind: 'base64decode' }
  /** `${%05d:var}`: a printf-style integer format ending in d, o, x or X. */
  | { readonly kind: 'int'; readonly flags: string; readonly width: number; readonly conversion: 'd' | 'o' | 'x' | 'X' }
  | { readonly kind: 'replace'; readonly regex: string; readonly replacement: string; readonly global: boolean };

export type PatternPart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'var'; readonly ref: VarRef; readonly format: PatternFormat };

/** `Hello ${name}`: literal text with interpolated variables. */
export interface Pattern {
  readonly source: string;
  readonly parts: readonly PatternPart[];
}

/** An int given as a constant or read from a variable (Hyperfoil's IntSource). */
export type IntSource = { readonly value: number } | { readonly fromVar: VarRef };

// -------------------------------------------------------------------------------------------------------------
// Scenario

export interface SequenceDef {
  readonly name: string;
  /** 0 for a plain sequence; N for `name[N]` (up to N concurrent instances, indexed 0..N-1). */
  readonly concurrency: number;
  readonly steps: readonly StepSpec[];
}

export interface Scenario {
  /** Started once when a session starts. */
  readonly initialSequences: readonly SequenceDef[];
  /** Started by steps (`newSequence`, `foreach`, `nextSequence`, `queue`…). */
  readonly sequences: readonly SequenceDef[];
  /** In-flight request slots per session. */
  readonly maxRequests: number;
  /** Concurrent sequence instances per session. */
  readonly maxSequences: number;
}

// -------------------------------------------------------------------------------------------------------------
// SLA (the shape the stats layer evaluates)

export interface SlaSpec {
  /** Sliding window; absent = evaluated over the whole phase at its end. */
  readonly windowMs?: number;
  readonly errorRatio: number;
  readonly invalidRatio: number;
  readonly blockedRatio: number;
  readonly meanResponseTimeNs?: number;
  /**
   * `0.99: 100ms` means p99 (Hyperfoil's latent bug checks ~p0.99; we fix it, see README). `percentile` is on
   * HdrHistogram's 0..100 scale (the YAML key × 100: `0.99` → 99), ready for `getValueAtPercentile`.
   */
  readonly limits: ReadonlyArray<{ readonly percentile: number; readonly latencyNs: number }>;
}

// -------------------------------------------------------------------------------------------------------------
// Phases, expanded: iterations (`name/000`) and forks (`name/fork`) are separate phases here

export type SessionLimitPolicy = 'FAIL' | 'CONTINUE';

export type PhaseModel =
  | { readonly type: 'noop' }
  /** Closed model: `users` started once (atOnce) or restarted as soon as they finish (always). */
  | { readonly type: 'atOnce' | 'always'; readonly users: number; readonly usersPer: 'total' | 'agent' | 'thread' }
  | {
    readonly type: 'constantRate';
    readonly usersPerSec: number;
    readonly maxSessions: number;
    readonly variance: boolean;
    readonly sessionLimitPolicy: SessionLimitPolicy;
  }
  | {
    readonly type: 'increasingRate' | 'decreasingRate';
    readonly initialUsersPerSec: number;
    readonly targetUsersPerSec: number;
    readonly maxSessions: number;
    readonly variance: boolean;
    readonly sessionLimitPolicy: SessionLimitPolicy;
  };

export interface StartWith {
  readonly phase: string;
  readonly delayMs: number;
}

export interface Phase {
  /** Assigned in build order, from 0. */
  readonly id: number;
  /** Full name: `rampUp/003/buyingUser`. */
  readonly name: string;
  /** The name as written, the iteration index (-1 without iterations) and the fork name ('' without forks). */
  readonly baseName: string;
  readonly iteration: number;
  readonly fork: string;
  readonly model: PhaseModel;
  /** Absent for noop phases. */
  readonly scenario?: Scenario;
  readonly startTimeMs: number;
  /** Phases that must be finished (no new sessions) before this one starts. */
  readonly startAfter: readonly string[];
  /** Phases that must be terminated (every session done) before this one starts. */
  readonly startAfterStrict: readonly string[];
  /** Phases that must be terminated before this one may terminate (used by the umbrella noop phases). */
  readonly terminateAfterStrict: readonly string[];
  readonly startWith?: StartWith;
  readonly durationMs?: number;
  readonly maxDurationMs?: number;
  readonly isWarmup: boolean;
  readonly customSlas: ReadonlyArray<{ readonly metric: string; readonly slas: readonly SlaSpec[] }>;
  /** Which phases share one session pool (iterations of one phase do); the key is the base phase name. */
  readonly sharedResources: string;
}

// -------------------------------------------------------------------------------------------------------------
// HTTP targets

export type ConnectionStrategy = 'SHARED_POOL' | 'SESSION_POOLS' | 'OPEN_ON_REQUEST' | 'ALWAYS_NEW';

export interface SharedConnections {
  readonly core: number;
  readonly max: number;
  readonly buffer: number;
  readonly keepAliveTimeMs: number;
}

/** PEM material read from files named in the benchmark (resolved relative to it and uploaded with it). */
export interface TlsMaterial {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly password?: string;
  readonly alias?: string;
  readonly storeType?: string;
  readonly storeFile?: string;
}

export interface HttpTarget {
  /** `name` for `endpoint:` references; absent when not given. */
  readonly name?: string;
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** `host:port`, the key requests are routed by. */
  readonly authority: string;
  /** The target of requests without `authority`/`endpoint`. */
  readonly isDefault: boolean;
  readonly sharedConnections: SharedConnections;
  readonly connectionStrategy: ConnectionStrategy;
  readonly addresses: readonly string[];
  /** -1 = no timeout. */
  readonly requestTimeoutMs: number;
  readonly sslHandshakeTimeoutMs: number;
  readonly allowHttp1x: boolean;
  readonly allowHttp2: boolean;
  readonly maxHttp2Streams: number;
  readonly pipeliningLimit: number;
  readonly rawBytesHandlers: boolean;
  readonly useHttpCache: boolean;
  readonly keyManager?: TlsMaterial;
  readonly trustManager?: TlsMaterial;
}

export type FollowRedirect = 'NEVER' | 'LOCATION_ONLY' | 'HTML_ONLY' | 'ALWAYS';

export interface Ergonomics {
  readonly repeatCookies: boolean;
  readonly userAgentFromSession: boolean;
  readonly autoRangeCheck: boolean;
  readonly stopOnInvalid: boolean;
  readonly followRedirect: FollowRedirect;
  readonly compensateInternalLatency: boolean;
}

// -------------------------------------------------------------------------------------------------------------
// Agents and hooks

export interface AgentDef {
  readonly name: string;
  /** The inline form as written (`user@host:port`), if any. */
  readonly inline?: string;
  /** Deployer properties (`host`, `port`, `user`, `sshKey`, `dir`, `cpu`, `threads`, `extras`…), `default` merged in. */
  readonly properties: Readonly<Record<string, string>>;
  /** Threads for this agent (its `threads` property, else the benchmark's). */
  readonly threads: number;
}

export interface HookDef {
  readonly name: string;
  /** A shell command run with `sh -c` on the controller. */
  readonly command: string;
}

// -------------------------------------------------------------------------------------------------------------
// The benchmark

export interface Benchmark {
  readonly name: string;
  /** The YAML as written, and the file name it was read from (for messages and for storing runs). */
  readonly source: { readonly fileName: string; readonly text: string };
  /** Data files the benchmark names (`file:`, `fromFile:`…), by the name as written in the YAML. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Template parameters used to render it, and the names it references (a template has at least one). */
  readonly params: Readonly<Record<string, string>>;
  readonly templateParams: readonly string[];
  readonly agents: readonly AgentDef[];
  readonly threads: number;
  readonly ergonomics: Ergonomics;
  readonly failurePolicy: 'CANCEL' | 'CONTINUE';
  readonly statisticsCollectionPeriodMs: number;
  readonly http: readonly HttpTarget[];
  readonly phases: readonly Phase[];
  readonly pre: readonly HookDef[];
  readonly post: readonly HookDef[];
  readonly triggerUrl?: string;
  readonly warnings: readonly Problem[];
}
