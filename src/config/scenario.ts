/**
 * `scenario:` → `Scenario`. Three forms, as in Hyperfoil:
 *   1. a list of sequences: the `orderedSequences` shorthand;
 *   2. {initialSequences, sequences, maxRequests, maxSequences}: initial sequences start with the session, the others
 *      when a step starts them (newSequence, foreach, nextSequence, queue …);
 *   3. {orderedSequences}: the first is initial, and each ends with an implicit `nextSequence` to the following one.
 * A sequence is `- name: [steps]`; `name[N]` allows N concurrent instances (indexed 0..N-1, read with `var[.]`).
 * Every sequence name a step references must exist (checked once all sequences are known).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YNode, YAMLSeq } from 'yaml';
import { didYouMean } from '../lib/index.js';
import { INVALID, int, isEmpty, kindOf, scalarText } from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import { fetchResourceSequences } from './fetch-resources.js';
import type { Scenario, SequenceDef } from './model.js';
import { closeScenarioScope, openScenarioScope, stepList } from './steps/index.js';
import type { ScenarioScope, StepSpec } from './steps/index.js';

export const DEFAULT_MAX_REQUESTS = 16;
export const MIN_MAX_SEQUENCES = 16;

const KIND_NAMES = { scalar: 'a single value', mapping: 'a mapping', list: 'a list' } as const;

interface ParsedName {
  readonly name: string;
  readonly concurrency: number;
}

/** `name` or `name[N]`. */
export function parseSequenceName(text: string): { ok: true; value: ParsedName } | { ok: false; message: string } {
  const bracket = text.indexOf('[');
  if (bracket < 0) {
    const name = text.trim();
    return name === '' ? { ok: false, message: 'expected a sequence name' } : { ok: true, value: { name, concurrency: 0 } };
  }
  const name = text.slice(0, bracket).trim();
  const match = /^\[\s*(\d+)\s*\]$/.exec(text.slice(bracket).trim());
  if (name === '' || !match || Number(match[1]) > 2147483647) {
    return { ok: false, message: `malformed sequence name \`${text}\`: write \`name\`, or \`name[N]\` for up to N concurrent instances` };
  }
  return { ok: true, value: { name, concurrency: Number(match[1]) } };
}

interface DecodedSequence {
  readonly def: SequenceDef;
  readonly keyNode: YNode;
}

interface SequenceList {
  /** The sequences whose steps decoded. */
  readonly sequences: DecodedSequence[];
  /** Every well-named sequence, also those with invalid steps (so references to them are not reported too). */
  readonly declared: Array<{ name: string; concurrency: number; keyNode: YNode }>;
  readonly valid: boolean;
}

/** `- name: [steps]` items, each decoded with the scope's current sequence set (for metrics and references). */
function decodeSequences(raw: YNode, cx: DecodeContext, scope: ScenarioScope, what: string): SequenceList {
  const node = cx.deref(raw);
  const list: SequenceList = { sequences: [], declared: [], valid: true };
  if (!isSeq(node)) {
    cx.problem(node, `${what}: expected a list of sequences (\`- name: [steps]\`), got ${isEmpty(node) ? 'nothing' : KIND_NAMES[kindOf(node)]}`);
    return { ...list, valid: false };
  }
  let valid = true;
  for (const rawItem of node.items as YNode[]) {
    const item = cx.deref(rawItem);
    if (!isMap(item) || item.items.length !== 1) {
      cx.problem(item, isMap(item)
        ? `expected one sequence per list item (\`- name: [steps]\`), got ${item.items.length} keys: are you missing a \`-\`?`
        : `expected a sequence (\`- name: [steps]\`), got ${isEmpty(item) ? 'nothing' : KIND_NAMES[kindOf(item)]}`);
      valid = false;
      continue;
    }
    const pair = item.items[0];
    const keyNode = cx.deref(pair?.key as YNode);
    const parsed = parseSequenceName(scalarText(keyNode) ?? '');
    if (!parsed.ok) {
      cx.problem(keyNode, parsed.message);
      valid = false;
      continue;
    }
    const { name, concurrency } = parsed.value;
    list.declared.push({ name, concurrency, keyNode });
    const value = pair?.value ? cx.deref(pair.value as YNode) : undefined;
    if (!value || isEmpty(value) || (isSeq(value) && value.items.length === 0)) {
      cx.problem(value && !isEmpty(value) ? value : keyNode, `sequence \`${name}\` is empty: a sequence needs at least one step`);
      valid = false;
      continue;
    }
    if (!isSeq(value)) {
      cx.problem(value, `sequence \`${name}\`: expected a list of steps, got ${isScalar(value) ? `\`${String(value.value)}\`` : KIND_NAMES[kindOf(value)]}`);
      valid = false;
      continue;
    }
    scope.current = { name, concurrency };
    const steps = stepList.decode(value, cx);
    scope.current = undefined;
    if (steps === INVALID) {
      valid = false;
      continue;
    }
    warnMisplacedLoops(steps, value, cx);
    list.sequences.push({ def: { name, concurrency, steps }, keyNode });
  }
  return { ...list, valid };
}

/** `loop` restarts its sequence from the top, so anywhere but first it would repeat the steps before it. */
function warnMisplacedLoops(steps: readonly StepSpec[], list: YAMLSeq, cx: DecodeContext): void {
  steps.forEach((step, index) => {
    if (step.name === 'loop' && index > 0) {
      cx.warn(list.items[index] as YNode, 'loop restarts its sequence from the first step: make it the first step of the sequence');
    }
  });
}

/** Appends the implicit `nextSequence` of orderedSequences. */
function chain(sequences: readonly DecodedSequence[], cx: DecodeContext): DecodedSequence[] {
  return sequences.map((sequence, index) => {
    const next = sequences[index + 1];
    if (!next) return sequence;
    const step = { name: 'nextSequence', config: { sequence: next.def.name }, at: cx.positionOf(next.keyNode) } as StepSpec;
    return { ...sequence, def: { ...sequence.def, steps: [...sequence.def.steps, step] } };
  });
}

const positiveInt = int({ min: 1, max: 2147483647 });
const SCENARIO_KEYS = ['initialSequences', 'sequences', 'orderedSequences', 'maxRequests', 'maxSequences'] as const;

function decodeScenario(node: YNode, cx: DecodeContext, scope: ScenarioScope): Decoded<Scenario> {
  let initial: DecodedSequence[] = [];
  let others: DecodedSequence[] = [];
  const declared: SequenceList['declared'] = [];
  let maxRequests = DEFAULT_MAX_REQUESTS;
  let maxSequences: number | undefined;
  let valid = true;
  let hasInitial = false;

  const take = (list: SequenceList, role: 'initial' | 'other' | 'ordered'): void => {
    valid &&= list.valid;
    declared.push(...list.declared);
    if (role === 'initial') {
      initial.push(...list.sequences);
      hasInitial ||= list.declared.length > 0;
    } else if (role === 'other') {
      others.push(...list.sequences);
    } else {
      // the chain is only meaningful when every sequence decoded; otherwise the scenario is invalid anyway
      const chained = list.valid ? chain(list.sequences, cx) : list.sequences;
      initial.push(...chained.slice(0, 1));
      others.push(...chained.slice(1));
      hasInitial ||= list.declared.length > 0;
    }
  };

  if (isSeq(node)) {
    take(decodeSequences(node, cx, scope, 'scenario'), 'ordered');
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = cx.deref(pair.key as YNode);
      const key = scalarText(keyNode) ?? '';
      const value = (pair.value as YNode | null) ?? keyNode;
      switch (key) {
        case 'initialSequences':
          take(decodeSequences(value, cx, scope, key), 'initial');
          break;
        case 'sequences':
          take(decodeSequences(value, cx, scope, key), 'other');
          break;
        case 'orderedSequences':
          take(decodeSequences(value, cx, scope, key), 'ordered');
          break;
        case 'maxRequests':
        case 'maxSequences': {
          const decoded = positiveInt.decode(value, cx);
          if (decoded === INVALID) valid = false;
          else if (key === 'maxRequests') maxRequests = decoded;
          else maxSequences = decoded;
          break;
        }
        default:
          cx.problem(keyNode, `unknown property \`${key}\` in the scenario.${didYouMean(key, SCENARIO_KEYS)} Expected one of: ${SCENARIO_KEYS.join(', ')}`);
          valid = false;
      }
    }
    if (!hasInitial && valid) {
      cx.problem(node, 'the scenario has no initial sequence: add `initialSequences` (or use `orderedSequences`, or a plain list of sequences)');
      return INVALID;
    }
  } else {
    cx.problem(node, `expected a scenario: a list of sequences (\`- name: [steps]\`) or a mapping with \`initialSequences\`/\`sequences\`/\`orderedSequences\`, got ${isEmpty(node) ? 'nothing' : KIND_NAMES[kindOf(node)]}`);
    return INVALID;
  }

  // Names and references are checked even when some steps are invalid, so that every problem is reported at once.
  const byName = new Map<string, { concurrency: number; keyNode: YNode }>();
  for (const sequence of declared) {
    const previous = byName.get(sequence.name);
    if (previous) {
      cx.problem(sequence.keyNode, `sequence \`${sequence.name}\` is defined twice (first at ${cx.positionOf(previous.keyNode)})`);
      valid = false;
      continue;
    }
    byName.set(sequence.name, sequence);
  }
  for (const reference of scope.references) {
    const target = byName.get(reference.name);
    if (!target) {
      const hint = didYouMean(reference.name, byName.keys());
      cx.problem(reference.node, `no sequence \`${reference.name}\` in this scenario.${hint || ` Sequences: ${[...byName.keys()].map((n) => `\`${n}\``).join(', ')}`}`);
      valid = false;
    } else if (reference.sameIndex && reference.from && target.concurrency !== reference.from.concurrency) {
      cx.problem(reference.node, `newSequence.forceSameIndex needs \`${reference.name}\` to have the concurrency of \`${reference.from.name}\` (${reference.from.concurrency}), but it has ${target.concurrency}`);
      valid = false;
    }
  }
  if (!valid) return INVALID;

  const fetches = fetchResourceSequences([...initial, ...others].map((s) => s.def), cx.positionOf(node));
  for (const def of fetches) others.push({ def, keyNode: node });
  const all = [...initial, ...others];
  const instances = all.reduce((sum, s) => sum + Math.max(1, s.def.concurrency), 0);
  if (maxSequences !== undefined && maxSequences < instances) {
    const at = isMap(node) ? node.items.find((p) => scalarText(cx.deref(p.key as YNode)) === 'maxSequences')?.value as YNode | undefined : undefined;
    cx.warn(at ?? node, `maxSequences (${maxSequences}) is lower than the ${instances} sequence instances this scenario can run at once`);
  }
  return {
    initialSequences: initial.map((s) => s.def),
    sequences: others.map((s) => s.def),
    maxRequests,
    maxSequences: maxSequences ?? Math.max(MIN_MAX_SEQUENCES, instances),
  };
}

export const scenarioCodec: Codec<Scenario> = {
  expected: 'a scenario: a list of sequences, or {initialSequences, sequences, orderedSequences, maxRequests, maxSequences}',
  decode(raw, cx) {
    const node = cx.deref(raw);
    const scope = openScenarioScope(cx);
    try {
      return decodeScenario(node, cx, scope);
    } finally {
      closeScenarioScope(cx, scope);
    }
  },
  schema(defs) {
    const sequence = {
      type: 'object', minProperties: 1, maxProperties: 1,
      description: 'A sequence: `name: [steps]`, or `name[N]: [steps]` for up to N concurrent instances.',
      additionalProperties: { ...stepList.schema(defs), minItems: 1 },
    };
    defs.set('sequence', sequence);
    const list = { type: 'array', minItems: 1, items: { $ref: '#/$defs/sequence' } };
    return {
      anyOf: [
        { ...list, description: 'Sequences run one after another (the orderedSequences shorthand).' },
        {
          type: 'object', additionalProperties: false,
          properties: {
            initialSequences: { ...list, description: 'Started once when a session starts.' },
            sequences: { ...list, description: 'Started by steps (newSequence, foreach, queue …).' },
            orderedSequences: { ...list, description: 'The first is initial; each starts the next when it ends.' },
            maxRequests: { type: 'integer', minimum: 1, description: 'Requests in flight per session; default 16.' },
            maxSequences: { type: 'integer', minimum: 1, description: 'Sequence instances per session; default max(16, what the scenario needs).' },
          },
        },
      ],
    };
  },
};
