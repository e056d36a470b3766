/**
 * `phases:` — a list of `- name: {type: {properties}}`. Each decodes to a `PhaseDef` (plan/), checked here for
 * everything one phase can tell on its own; references between phases, iterations and forks are resolved when the
 * whole list is expanded (`expandPhases`), with problems pointing back at the YAML nodes kept in the definitions.
 */
import { isMap, isPair } from 'yaml';
import type { Node as YNode } from 'yaml';
import { didYouMean } from '../lib/index.js';
import { checkPhaseValues } from '../plan/index.js';
import type { CustomSla, ForkDef, Incrementable, PhaseDef, PhaseRefDef, PhaseTypeDef, StartWithDef } from '../plan/index.js';
import {
  bool, emptyNodeAt, entries, INVALID, int, isEmpty, kindOf, map, named, object, oneOf, optional, required, scalarText,
} from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import { forksCodec } from './forks.js';
import { incrementableInt, incrementableNum } from './incrementable.js';
import { MAX_SESSIONS } from './limits.js';
import type { Scenario, SessionLimitPolicy } from './model.js';
import { phaseRefsCodec, startWithCodec } from './phase-refs.js';
import { customSlaCodec } from './sla.js';
import { durationMs } from './time-values.js';
import { keyNodeOf, valueNodeOf } from './yaml-nodes.js';

/** Everything a phase type may set, before the per-type model is built. */
export interface PhaseProps {
  startTime?: number;
  startAfter?: Array<PhaseRefDef<YNode>>;
  startAfterStrict?: Array<PhaseRefDef<YNode>>;
  startWith?: StartWithDef<YNode>;
  duration?: number;
  maxDuration?: number;
  maxIterations?: number;
  isWarmup?: boolean;
  customSla?: CustomSla[];
  scenario?: Scenario;
  forks?: Array<ForkDef<YNode>>;
  users?: Incrementable;
  usersPerAgent?: Incrementable;
  usersPerThread?: Incrementable;
  usersPerSec?: Incrementable;
  initialUsersPerSec?: Incrementable;
  targetUsersPerSec?: Incrementable;
  maxSessions?: number;
  variance?: boolean;
  sessionLimitPolicy?: SessionLimitPolicy;
}

export type PhaseBody = Omit<PhaseDef<YNode>, 'name' | 'at'>;

const TYPE_NAMES = ['atOnce', 'always', 'constantRate', 'increasingRate', 'decreasingRate', 'noop'] as const;
type TypeName = typeof TYPE_NAMES[number];
const DEPRECATED: Readonly<Record<string, TypeName>> = { constantPerSec: 'constantRate', rampPerSec: 'increasingRate' };
const REJECTED: Readonly<Record<string, string>> = {
  rampRate: 'Hyperfoil does not accept `rampRate` in YAML either: use `increasingRate` or `decreasingRate`',
  sequentially: 'Hyperfoil does not accept `sequentially` in YAML either: use `atOnce` with a loop in the scenario',
};
const COMMON_KEYS = ['startTime', 'startAfter', 'startAfterStrict', 'startWith', 'duration', 'maxDuration', 'maxIterations', 'isWarmup', 'customSla', 'scenario', 'forks'];

function commonProps(scenario: Codec<Scenario>) {
  return {
    startTime: optional(durationMs, 'Earliest start, relative to the start of the run.'),
    startAfter: optional(phaseRefsCodec, 'Phases that must have finished (started all their users) before this one starts.'),
    startAfterStrict: optional(phaseRefsCodec, 'Phases that must have terminated (all their users done) before this one starts.'),
    startWith: optional(startWithCodec, 'Start together with another phase (plus `delay`); excludes startAfter, startAfterStrict and startTime.'),
    duration: optional(durationMs, 'How long users are started; required by the open-model types.'),
    maxDuration: optional(durationMs, 'Hard limit after which the remaining sessions are cancelled.'),
    maxIterations: optional(int({ min: 1 }), 'Repeat the phase as `name/000`, `name/001`…, values growing by their `increment`.'),
    isWarmup: optional(bool, 'Hide this phase from the statistics shown by default.'),
    customSla: optional(customSlaCodec, 'SLAs on custom metrics: `{metricName: SLA or [SLA, …]}`.'),
    scenario: optional(scenario),
    forks: optional(named('forks', () => forksCodec(scenario)), 'Split the phase among scenarios by weight (`name/fork` phases).'),
  };
}

const openProps = {
  maxSessions: optional(int({ min: 1, limit: MAX_SESSIONS }), 'Sessions allocated up front. Default: the highest rate of any iteration, rounded up (1 second of arrivals).'),
  variance: optional(bool, 'Exponential gaps between arrivals (a Poisson process) when true (default), even gaps when false.'),
  sessionLimitPolicy: optional(oneOf(['FAIL', 'CONTINUE'], { ignoreCase: true }), 'When sessions run out: FAIL the phase (default) or CONTINUE with a warning.'),
};

function typeCodecs(scenario: Codec<Scenario>): Record<TypeName, Codec<PhaseProps>> {
  const common = commonProps(scenario);
  const closed = {
    ...common,
    users: optional(incrementableInt, 'Users in total, split among agents and threads.'),
    usersPerAgent: optional(incrementableInt, 'Users on each agent.'),
    usersPerThread: optional(incrementableInt, 'Users on each thread of each agent.'),
  };
  const ramp = {
    ...common,
    ...openProps,
    initialUsersPerSec: required(incrementableNum, 'Arrival rate at the start of the phase.'),
    targetUsersPerSec: required(incrementableNum, 'Arrival rate at the end of the phase.'),
  };
  const asProps = <T>(codec: Codec<T>): Codec<PhaseProps> => codec as unknown as Codec<PhaseProps>;
  const def = (type: TypeName, make: () => Codec<PhaseProps>): Codec<PhaseProps> => named(`phase.${type}`, make);
  return {
    atOnce: def('atOnce', () => asProps(object(closed, { what: 'an atOnce phase', description: 'Start a number of users once; they are not restarted.' }))),
    always: def('always', () => asProps(object(closed, { what: 'an always phase', description: 'Keep a number of users running, restarting each as it finishes.' }))),
    constantRate: def('constantRate', () => asProps(object({ ...common, ...openProps, usersPerSec: required(incrementableNum, 'Users started per second.') },
      { what: 'a constantRate phase', description: 'Start users at a constant rate (open model).' }))),
    increasingRate: def('increasingRate', () => asProps(object(ramp, { what: 'an increasingRate phase', description: 'Ramp the arrival rate up (open model).' }))),
    decreasingRate: def('decreasingRate', () => asProps(object(ramp, { what: 'a decreasingRate phase', description: 'Ramp the arrival rate down (open model).' }))),
    noop: def('noop', () => asProps(object(common, { what: 'a noop phase', description: 'Run nothing: a pause, or a point to synchronise other phases on.', empty: () => ({}) }))),
  };
}

/** Builds the phase's model and checks what can be checked within one phase. */
function buildBody(type: TypeName, v: PhaseProps, props: YNode, typeKey: YNode, cx: DecodeContext): Decoded<PhaseBody> {
  let valid = true;
  const problem = (node: YNode, message: string): void => {
    cx.problem(node, message);
    valid = false;
  };
  const iterations = v.maxIterations ?? 1;
  let model: PhaseTypeDef;
  const open = {
    ...(v.maxSessions !== undefined ? { maxSessions: v.maxSessions } : {}),
    variance: v.variance ?? true,
    sessionLimitPolicy: (v.sessionLimitPolicy?.toUpperCase() ?? 'FAIL') as SessionLimitPolicy,
  };
  switch (type) {
    case 'noop':
      model = { type: 'noop' };
      for (const key of ['scenario', 'forks'] as const) {
        if (v[key] !== undefined) problem(keyNodeOf(props, key), `a noop phase runs nothing: remove \`${key}\``);
      }
      break;
    case 'atOnce':
    case 'always': {
      const given = (['users', 'usersPerAgent', 'usersPerThread'] as const).filter((k) => v[k] !== undefined);
      if (given.length !== 1) {
        problem(given.length === 0 ? typeKey : keyNodeOf(props, given[1] as string),
          `${type} needs exactly one of \`users\`, \`usersPerAgent\` and \`usersPerThread\`${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`);
        return INVALID;
      }
      const key = given[0] as 'users' | 'usersPerAgent' | 'usersPerThread';
      model = { type, users: v[key] as Incrementable, usersPer: key === 'users' ? 'total' : key === 'usersPerAgent' ? 'agent' : 'thread' };
      if (type === 'always' && v.duration === undefined && v.maxDuration === undefined) {
        cx.warn(typeKey, 'an always phase without `duration` (or `maxDuration`) restarts its users until the run is killed');
      }
      if (type === 'atOnce' && v.duration !== undefined) {
        cx.warn(keyNodeOf(props, 'duration'), '`duration` is ignored by atOnce phases: the users are started once and run to their end');
      }
      break;
    }
    case 'constantRate':
      model = { type, usersPerSec: v.usersPerSec as Incrementable, ...open };
      break;
    case 'increasingRate':
    case 'decreasingRate':
      model = { type, initialUsersPerSec: v.initialUsersPerSec as Incrementable, targetUsersPerSec: v.targetUsersPerSec as Incrementable, ...open };
      break;
  }
  for (const p of checkPhaseValues(model, iterations)) problem(valueNodeOf(props, p.prop), p.message);

  if (type !== 'noop') {
    if (v.scenario !== undefined && v.forks !== undefined) {
      problem(keyNodeOf(props, 'forks'), 'a phase has either `scenario` or `forks`, not both');
    } else if (v.scenario === undefined && v.forks === undefined) {
      problem(typeKey, 'the phase needs a `scenario` (or `forks` with one scenario each)');
    } else if (v.forks !== undefined && v.forks.length === 1) {
      problem(keyNodeOf(props, 'forks'), `the phase has a single fork \`${v.forks[0]?.name}\`: define \`scenario\` directly (forks split a phase among two or more scenarios)`);
    } else if (v.forks !== undefined && v.forks.length === 0) {
      problem(keyNodeOf(props, 'forks'), '`forks` is empty: define `scenario` directly, or at least two forks');
    }
  }
  if ((type === 'constantRate' || type === 'increasingRate' || type === 'decreasingRate') && v.duration === undefined) {
    problem(typeKey, `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} phase needs a \`duration\`: how long to keep starting users`);
  }
  if (v.startWith !== undefined) {
    const clash = (['startAfter', 'startAfterStrict', 'startTime'] as const).filter((k) => v[k] !== undefined);
    if (clash.length > 0) problem(keyNodeOf(props, 'startWith'), `\`startWith\` cannot be combined with ${clash.map((k) => `\`${k}\``).join(' or ')}`);
  }
  if (!valid) return INVALID;
  return {
    model,
    ...(v.startTime !== undefined ? { startTimeMs: v.startTime } : {}),
    startAfter: v.startAfter ?? [],
    startAfterStrict: v.startAfterStrict ?? [],
    ...(v.startWith !== undefined ? { startWith: v.startWith } : {}),
    ...(v.duration !== undefined ? { durationMs: v.duration } : {}),
    ...(v.maxDuration !== undefined ? { maxDurationMs: v.maxDuration } : {}),
    maxIterations: iterations,
    forceIterations: false,
    isWarmup: v.isWarmup ?? false,
    customSlas: v.customSla ?? [],
    ...(v.scenario !== undefined ? { scenario: v.scenario } : {}),
    forks: v.forks ?? [],
  };
}

/** `{constantRate: {…}}`: exactly one phase type and its properties. */
export function phaseBodyCodec(scenario: Codec<Scenario>): Codec<PhaseBody> {
  const codecs = typeCodecs(scenario);
  const known = [...TYPE_NAMES];
  const expected = `a phase type with its properties (${TYPE_NAMES.map((t) => `\`${t}\``).join(', ')})`;
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (!isMap(node) || node.items.length !== 1 || !isPair(node.items[0])) {
        const keys = isMap(node) ? node.items.filter(isPair).map((p) => scalarText(cx.deref(p.key as YNode)) ?? '') : [];
        const isType = (k: string): boolean => TYPE_NAMES.includes(k as TypeName) || k in DEPRECATED;
        const misplaced = keys.filter((k) => !isType(k));
        if (keys.some(isType) && misplaced.length > 0) {
          cx.problem(node, `the phase properties (${misplaced.map((k) => `\`${k}\``).join(', ')}) belong inside the phase type: indent them under it`);
        } else if (keys.length > 1) {
          cx.problem(node, `expected one phase type per phase, got ${keys.length} keys: ${keys.map((k) => `\`${k}\``).join(', ')}`);
        } else {
          cx.problem(node, `expected ${expected}, got ${isEmpty(node) ? 'nothing' : kindOf(node) === 'list' ? 'a list' : kindOf(node) === 'mapping' ? 'an empty mapping' : 'a single value'}`);
        }
        return INVALID;
      }
      const pair = node.items[0];
      const typeKey = cx.deref(pair.key as YNode);
      const written = scalarText(typeKey) ?? '';
      let type = written as TypeName;
      if (written in DEPRECATED) {
        type = DEPRECATED[written] as TypeName;
        cx.warn(typeKey, `phase type \`${written}\` is deprecated: use \`${written === 'rampPerSec' ? 'increasingRate` or `decreasingRate' : type}\``);
      } else if (REJECTED[written] !== undefined) {
        cx.problem(typeKey, `phase type \`${written}\` is not supported: ${REJECTED[written]}`);
        return INVALID;
      } else if (!TYPE_NAMES.includes(written as TypeName)) {
        const hint = COMMON_KEYS.includes(written) || written in openProps || written.startsWith('users')
          ? ` \`${written}\` is a phase property: write the phase type first (\`- name: {constantRate: {${written}: …}}\`).`
          : didYouMean(written, known);
        cx.problem(typeKey, `unknown phase type \`${written}\`.${hint} Expected one of: ${TYPE_NAMES.join(', ')}`);
        return INVALID;
      }
      const propsNode = pair.value ? cx.deref(pair.value as YNode) : emptyNodeAt(typeKey);
      const value = codecs[type].decode(propsNode, cx);
      if (value === INVALID) return INVALID;
      if (written === 'rampPerSec' && value.initialUsersPerSec && value.targetUsersPerSec
        && value.initialUsersPerSec.base > value.targetUsersPerSec.base) {
        type = 'decreasingRate';
      }
      return buildBody(type, value, propsNode, typeKey, cx);
    },
    schema(defs) {
      return {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        properties: Object.fromEntries(TYPE_NAMES.map((t) => [t, codecs[t].schema(defs)])),
        additionalProperties: false,
      };
    },
  };
}

/** `phases:` — definitions in order, each with its name and where it is written. */
export function phasesCodec(scenario: Codec<Scenario>): Codec<Array<PhaseDef<YNode>>> {
  return map(
    entries(phaseBodyCodec(scenario), { forms: 'list', what: 'phase', minItems: 1 }),
    (items) => items.map((item) => ({ ...item.value, name: item.key, at: item.keyNode })),
  );
}

