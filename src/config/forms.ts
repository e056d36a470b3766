/**
 * Helpers shared by the step, action and processor decoders: the three ways Hyperfoil lets a component be written
 * (`- name`, `- name: inline`, `- name: {props}`), and checks that span several properties.
 */
import { isMap, isScalar } from 'yaml';
import type { Node as YNode } from 'yaml';
import { INVALID, isEmpty, isRepeatedInvocations, kindOf, scalar } from './codec.js';
import type { Codec } from './codec.js';
import type { DecodeContext } from './context.js';
import type { JsonSchema } from './json-schema.js';
import type { Parsed } from '../lib/index.js';

const KIND_NAMES = { scalar: 'a single value', mapping: 'a mapping', list: 'a list' } as const;

export interface Forms<C> {
  /** `name: {props}` */
  readonly mapping?: Codec<C>;
  /** `name: text` */
  readonly inline?: Codec<C>;
  /** `name: [..]` */
  readonly list?: Codec<C>;
  /** `- name` or `name:` with nothing; without it an empty value is a problem. */
  readonly empty?: () => C;
}

/** A component's value in any of the forms it accepts, with a message naming all of them when none fits. */
export function forms<C>(what: string, f: Forms<C>): Codec<C> {
  const alternatives = [
    f.mapping ? 'a mapping of properties' : undefined,
    f.inline ? `the inline form (${f.inline.expected})` : undefined,
    f.list ? f.list.expected : undefined,
  ].filter((s): s is string => s !== undefined);
  const expected = alternatives.join(' or ');
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (isEmpty(node)) {
        if (f.empty) return f.empty();
        cx.problem(node, `${what} needs a value: ${expected}`);
        return INVALID;
      }
      const kind = kindOf(node);
      // Without a list form of its own, a list is the mapping form's repeated invocations (see `object`).
      const codec = kind === 'mapping' ? f.mapping : kind === 'list' ? (f.list ?? (isRepeatedInvocations(node, cx) ? f.mapping : undefined)) : f.inline;
      if (!codec) {
        cx.problem(node, `${what}: expected ${expected}, got ${KIND_NAMES[kind]}`);
        return INVALID;
      }
      return codec.decode(node, cx);
    },
    schema(defs) {
      const schemas: JsonSchema[] = [];
      if (f.mapping) schemas.push(f.mapping.schema(defs));
      if (f.inline) schemas.push(f.inline.schema(defs));
      if (f.list) schemas.push(f.list.schema(defs));
      if (f.empty) schemas.push({ type: 'null' });
      return schemas.length === 1 ? (schemas[0] as JsonSchema) : { anyOf: schemas };
    },
  };
}

/** An inline form parsed from the scalar text. */
export function inline<C>(expected: string, parse: (text: string) => Parsed<C>, description?: string): Codec<C> {
  return scalar(expected, (text) => parse(text.trim()), { type: 'string', ...(description ? { description } : {}) });
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** Which of `keys` are set in `value`. */
export function present(value: object, keys: readonly string[]): string[] {
  return keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined);
}

const list = (keys: readonly string[]): string => keys.map((k) => `\`${k}\``).join(', ');

/** Reports unless exactly one of `keys` is set; returns the one. */
export function exactlyOne(value: object, keys: readonly string[], what: string, node: YNode, cx: DecodeContext): string | undefined {
  const set = present(value, keys);
  if (set.length === 1) return set[0];
  cx.problem(node, set.length === 0
    ? `${what} needs one of ${list(keys)}`
    : `${what} takes only one of ${list(keys)}, got ${list(set)}`);
  return undefined;
}

/** Reports when more than one of `keys` is set. */
export function atMostOne(value: object, keys: readonly string[], what: string, node: YNode, cx: DecodeContext): boolean {
  const set = present(value, keys);
  if (set.length <= 1) return true;
  cx.problem(node, `${what} takes only one of ${list(keys)}, got ${list(set)}`);
  return false;
}

/** The value node of `key` in a mapping node, for precise positions in cross-property checks. */
export function valueNodeOf(node: YNode, key: string, cx: DecodeContext): YNode | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const k = cx.deref(pair.key as YNode);
    if (isScalar(k) && String(k.value) === key) return (pair.value as YNode | null) ?? k;
  }
  return undefined;
}

