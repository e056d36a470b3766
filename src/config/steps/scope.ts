/**
 * What a step decoder needs to know about the scenario being decoded: the sequence it belongs to (an httpRequest's
 * default metric is its sequence name) and the sequence names it references, checked by the scenario once every
 * sequence is known (a reference may point to a sequence defined further down).
 *
 * The scope is kept per decode context, so decoding stays a pure function of the YAML and nothing global leaks
 * between benchmarks. Outside a scenario (a step list decoded alone) there is no scope: references are not checked
 * and metrics default to the empty string.
 */
import type { Node as YNode } from 'yaml';
import { map } from '../codec.js';
import type { Codec } from '../codec.js';
import type { DecodeContext } from '../context.js';
import { identifier } from '../var-ref.js';

export interface SequenceInfo {
  readonly name: string;
  readonly concurrency: number;
}

export interface SequenceReference {
  readonly name: string;
  readonly node: YNode;
  /** The sequence the reference was written in. */
  readonly from?: SequenceInfo;
  /** `newSequence.forceSameIndex`: the target must have the same concurrency as `from`. */
  readonly sameIndex?: boolean;
}

export interface ScenarioScope {
  readonly references: SequenceReference[];
  current?: SequenceInfo | undefined;
}

const scopes = new WeakMap<DecodeContext, ScenarioScope[]>();

export function openScenarioScope(cx: DecodeContext): ScenarioScope {
  const scope: ScenarioScope = { references: [] };
  const stack = scopes.get(cx) ?? [];
  stack.push(scope);
  scopes.set(cx, stack);
  return scope;
}

export function closeScenarioScope(cx: DecodeContext, scope: ScenarioScope): void {
  const stack = scopes.get(cx);
  if (stack && stack[stack.length - 1] === scope) stack.pop();
}

function innermost(cx: DecodeContext): ScenarioScope | undefined {
  const stack = scopes.get(cx);
  return stack?.[stack.length - 1];
}

/** The sequence whose steps are being decoded, if any. */
export function currentSequence(cx: DecodeContext): SequenceInfo | undefined {
  return innermost(cx)?.current;
}

export function noteSequenceReference(cx: DecodeContext, name: string, node: YNode, sameIndex = false): void {
  const scope = innermost(cx);
  if (!scope) return;
  scope.references.push({ name, node, ...(scope.current ? { from: scope.current } : {}), ...(sameIndex ? { sameIndex } : {}) });
}

/** A sequence name; recorded so the scenario can check that such a sequence exists. */
export const sequenceRef: Codec<string> = map(identifier('sequence name'), (name, node, cx) => {
  noteSequenceReference(cx, name, node);
  return name;
});
