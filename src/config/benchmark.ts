/**
 * The whole benchmark mapping (Hyperfoil's BenchmarkParser): name, agents, threads, ergonomics, failure policy,
 * HTTP targets, hooks, and the phases — written out (`phases`), as the single-phase shortcut (`usersPerSec`,
 * `duration`, `scenario`… → one constantRate phase `main`) or generated (`staircase`). Phases are expanded here
 * (iterations, forks, references, cycles) so that every problem points at the YAML.
 */
import type { Node as YNode } from 'yaml';
import { expandPhases, staircasePhases } from '../plan/index.js';
import type { PhaseDef } from '../plan/index.js';
import { agentDefs, agentsCodec } from './agents.js';
import { INVALID, int, map, nonEmptyStr, num, object, oneOf, optional, required, str } from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import { DEFAULT_ERGONOMICS, ergonomicsCodec } from './ergonomics.js';
import { hooksCodec } from './hooks.js';
import { httpCodec } from './http.js';
import { MAX_SESSIONS, MAX_THREADS, MAX_USERS_PER_SEC } from './limits.js';
import { checkRequestRoutes } from './request-routes.js';
import type { Benchmark, HttpTarget, Phase, Scenario } from './model.js';
import { phasesCodec } from './phases.js';
import { scenarioCodec } from './scenario.js';
import { customSlaCodec } from './sla.js';
import { staircaseCodec } from './staircase.js';
import { durationMs } from './time-values.js';
import { keyNodeOf, valueNodeOf } from './yaml-nodes.js';

/** What the YAML mapping decodes to; the loader adds source, files, params and warnings. */
export type BenchmarkBody = Omit<Benchmark, 'source' | 'files' | 'params' | 'templateParams' | 'warnings'>;

export const DEFAULT_STATISTICS_COLLECTION_PERIOD_MS = 1000;

/** Keys of the single-phase shortcut, in the order they are reported. */
const SHORTCUT_KEYS = ['usersPerSec', 'duration', 'maxDuration', 'maxSessions', 'scenario', 'customSla'] as const;

function unsupported(key: string, reason: string): Codec<never> {
  return {
    expected: 'nothing',
    decode(node, cx) {
      cx.problem(node, `\`${key}\` is not supported yet: ${reason}`);
      return INVALID;
    },
    schema: () => ({ description: `Not supported yet: ${reason}` }),
  };
}

function checkSchemaHint(schema: string, node: YNode, cx: DecodeContext): void {
  if (/^http/i.test(schema) && !/^https?:\/\/hyperfoil\.io\/schema/.test(schema)) {
    cx.warn(node, `unexpected \`$schema\` \`${schema}\`: Hyperfoil's schema is https://hyperfoil.io/schema.json`);
  }
}

export function makeBenchmarkCodec(scenario: Codec<Scenario>): Codec<BenchmarkBody> {
  return map(object({
    $schema: optional(str, 'Editor hint: https://hyperfoil.io/schema.json or a local copy.'),
    name: required(nonEmptyStr('a benchmark name'), 'Name of the benchmark: the key it is stored and run under.'),
    agents: optional(agentsCodec),
    threads: optional(int({ min: 1, limit: MAX_THREADS }), 'Event-loop threads per agent. Default 1.'),
    ergonomics: optional(ergonomicsCodec),
    failurePolicy: optional(oneOf(['CANCEL', 'CONTINUE'], { ignoreCase: true }),
      'When a phase fails: CANCEL the phases not started yet (default) or CONTINUE.'),
    statisticsCollectionPeriod: optional(int({ min: 1 }), 'Milliseconds between statistics snapshots. Default 1000.'),
    http: optional(httpCodec, 'Servers that requests go to: one (the default target) or a list.'),
    phases: optional(phasesCodec(scenario), 'Workloads, each `- name: {type: {properties}}`.'),
    usersPerSec: optional(num({ exclusiveMin: 0, limit: MAX_USERS_PER_SEC }), 'Single-phase shortcut: users started per second in phase `main`.'),
    duration: optional(durationMs, 'Single-phase shortcut: how long phase `main` starts users.'),
    maxDuration: optional(durationMs, 'Single-phase shortcut: hard limit of phase `main`.'),
    maxSessions: optional(int({ min: 1, limit: MAX_SESSIONS }), 'Single-phase shortcut: sessions allocated for phase `main`.'),
    scenario: optional(scenario),
    customSla: optional(customSlaCodec, 'Single-phase shortcut: SLAs on custom metrics of phase `main`.'),
    staircase: optional(staircaseCodec(scenario)),
    pre: optional(hooksCodec, 'Commands the controller runs before the run (`name: command`).'),
    post: optional(hooksCodec, 'Commands the controller runs after the run (`name: command`).'),
    triggerUrl: optional(nonEmptyStr('a URL'), 'URL called to start the run in a CI system instead of starting it directly.'),
    hotrod: optional(unsupported('hotrod', 'the HotRod (Infinispan) plugin is not implemented')),
  }, { what: 'the benchmark', description: 'A Hyperfoil benchmark.', repeatable: false }), (v, node, cx): Decoded<BenchmarkBody> => {
    if (v.$schema !== undefined) checkSchemaHint(v.$schema, valueNodeOf(node, '$schema'), cx);
    let valid = true;
    const problem = (at: YNode, message: string): void => {
      cx.problem(at, message);
      valid = false;
    };

    const shortcut = SHORTCUT_KEYS.filter((k) => v[k] !== undefined);
    let defs: Array<PhaseDef<YNode>> = [];
    if (v.staircase !== undefined) {
      const clash = [...(v.phases !== undefined ? ['phases'] : []), ...shortcut];
      if (clash.length > 0) {
        problem(keyNodeOf(node, 'staircase'), `\`staircase\` generates the phases itself: it cannot be combined with ${clash.map((k) => `\`${k}\``).join(', ')}`);
      } else {
        const generated = staircasePhases(v.staircase);
        for (const warning of generated.warnings) cx.warn(keyNodeOf(node, 'staircase'), warning);
        defs = generated.defs;
      }
    } else if (v.phases !== undefined) {
      if (shortcut.length > 0) {
        problem(keyNodeOf(node, shortcut[0] as string),
          `${shortcut.map((k) => `\`${k}\``).join(', ')} at the top level define the single phase \`main\`, which cannot be combined with \`phases\`: move ${shortcut.length === 1 ? 'it' : 'them'} into a phase`);
      } else {
        defs = v.phases;
      }
    } else if (shortcut.length > 0) {
      const at = keyNodeOf(node, shortcut[0] as string);
      const missing = (['usersPerSec', 'duration', 'scenario'] as const).filter((k) => v[k] === undefined);
      if (missing.length > 0) {
        problem(at, `the single-phase shortcut (phase \`main\`) needs ${missing.map((k) => `\`${k}\``).join(', ')} too`);
      } else {
        defs = [{
          name: 'main',
          at,
          model: {
            type: 'constantRate',
            usersPerSec: { base: v.usersPerSec as number, increment: 0 },
            ...(v.maxSessions !== undefined ? { maxSessions: v.maxSessions } : {}),
            variance: true,
            sessionLimitPolicy: 'FAIL',
          },
          startAfter: [],
          startAfterStrict: [],
          durationMs: v.duration as number,
          ...(v.maxDuration !== undefined ? { maxDurationMs: v.maxDuration } : {}),
          maxIterations: 1,
          forceIterations: false,
          isWarmup: false,
          customSlas: v.customSla ?? [],
          scenario: v.scenario as Scenario,
          forks: [],
        }];
      }
    } else {
      cx.warn(keyNodeOf(node, 'name'), 'the benchmark has no phases, so a run does nothing: add `phases`, `staircase` or the single-phase shortcut (`usersPerSec`, `duration`, `scenario`)');
    }

    const expansion = expandPhases(defs);
    for (const p of expansion.problems) problem(p.at, p.message);
    if (!valid) return INVALID;
    if (!checkRequestRoutes(expansion.phases, v.http ?? [], cx)) return INVALID;
    const threads = v.threads ?? 1;
    return {
      name: v.name,
      agents: agentDefs(v.agents ?? [], threads),
      threads,
      ergonomics: v.ergonomics ?? DEFAULT_ERGONOMICS,
      failurePolicy: (v.failurePolicy?.toUpperCase() ?? 'CANCEL') as BenchmarkBody['failurePolicy'],
      statisticsCollectionPeriodMs: v.statisticsCollectionPeriod ?? DEFAULT_STATISTICS_COLLECTION_PERIOD_MS,
      http: v.http ?? [],
      phases: boundPhases(expansion.phases, v.http ?? []),
      pre: v.pre ?? [],
      post: v.post ?? [],
      ...(v.triggerUrl !== undefined ? { triggerUrl: v.triggerUrl } : {}),
    };
  });
}

/**
 * A phase with a `duration` and no `maxDuration` gets `duration + the longest request timeout` as its hard limit:
 * past it, a request still waiting for a connection or a response would only stretch the run (a hung target with
 * few connections queues timeout after timeout), so the phase's remaining sessions are cancelled, and the requests
 * still pending are reported. No default when a target has no request timeout (`requestTimeout: none`), nor for
 * phases without a duration (atOnce), which end when their users are done.
 */
function boundPhases(phases: readonly Phase[], http: readonly HttpTarget[]): Phase[] {
  if (http.length === 0 || http.some((t) => t.requestTimeoutMs <= 0)) return [...phases];
  const graceMs = Math.max(...http.map((t) => t.requestTimeoutMs));
  return phases.map((phase) => (phase.durationMs === undefined || phase.durationMs === 0 || phase.maxDurationMs !== undefined
    ? phase
    : { ...phase, maxDurationMs: phase.durationMs + graceMs }));
}

/** The benchmark codec with the real scenario decoder. */
export const benchmarkCodec: Codec<BenchmarkBody> = makeBenchmarkCodec(scenarioCodec);
