/**
 * Decoders from YAML nodes to typed values, each of which also describes itself as JSON Schema.
 *
 * One definition serves both validation and the published schema (`hyperfoil schema`), so the two cannot drift.
 * A decoder never throws on bad input: it reports a problem at the node's position and returns INVALID, and the
 * caller goes on, so several independent problems are reported together.
 */
import { isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Node as YNode, YAMLMap } from 'yaml';
import { didYouMean } from '../lib/index.js';
import type { Parsed } from '../lib/index.js';
import type { DecodeContext } from './context.js';
import type { JsonSchema, SchemaDefs } from './json-schema.js';

export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;
export type Decoded<T> = T | Invalid;

export interface Codec<T> {
  /** What the value should be, for messages: "a duration", "a mapping of phase properties". */
  readonly expected: string;
  decode(node: YNode, cx: DecodeContext): Decoded<T>;
  schema(defs: SchemaDefs): JsonSchema;
}

export type DecodedOf<C> = C extends Codec<infer T> ? T : never;

export function isInvalid<T>(value: Decoded<T>): value is Invalid {
  return value === INVALID;
}

// ---------------------------------------------------------------------------------------------------------------
// Node helpers

export type NodeKind = 'scalar' | 'mapping' | 'list';

export function kindOf(node: YNode): NodeKind {
  if (isMap(node)) return 'mapping';
  if (isSeq(node)) return 'list';
  return 'scalar';
}

const KIND_NAMES: Record<NodeKind, string> = { scalar: 'a single value', mapping: 'a mapping', list: 'a list' };

/** A scalar with no text: `key:` or a bare `- name` list item. */
export function isEmpty(node: YNode): boolean {
  return isScalar(node) && (node.value === null || node.value === '') && node.type === 'PLAIN';
}

export function scalarText(node: YNode): string | undefined {
  return isScalar(node) ? String(node.value ?? '') : undefined;
}

/** An empty scalar placed at `at`, for forms that carry no value (`- awaitAllResponses`). */
export function emptyNodeAt(at: YNode): YNode {
  const empty = new Scalar('');
  empty.type = 'PLAIN';
  if (at.range) empty.range = [at.range[0], at.range[0], at.range[0]];
  return empty;
}

function mismatch<T>(node: YNode, cx: DecodeContext, expected: string): Decoded<T> {
  cx.problem(node, `expected ${expected}, got ${isEmpty(node) ? 'nothing' : KIND_NAMES[kindOf(node)]}`);
  return INVALID;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/**
 * Scalars are read from their text, so `range: 401` is as good as `range: "401"`. Editors parse YAML with types,
 * so a free-text value is described as a string, number or boolean (unless it is a name from a list or a pattern).
 */
function scalarSchema(schema: JsonSchema): JsonSchema {
  if (schema.type === 'string' && schema.enum === undefined && schema.pattern === undefined) {
    return { ...schema, type: ['string', 'number', 'boolean'] };
  }
  return schema;
}

export function scalar<T>(expected: string, parse: (text: string) => Parsed<T>, schema: JsonSchema): Codec<T> {
  const described = scalarSchema(schema);
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (!isScalar(node)) return mismatch(node, cx, expected);
      const parsed = parse(String(node.value ?? ''));
      if (parsed.ok) return parsed.value;
      cx.problem(node, parsed.message);
      return INVALID;
    },
    schema: () => described,
  };
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

export const str: Codec<string> = scalar('a string', (text) => ok(text), { type: 'string' });

export function nonEmptyStr(expected = 'a non-empty string'): Codec<string> {
  return scalar(expected, (text) => (text.trim() === '' ? fail(`expected ${expected}`) : ok(text)),
    { type: 'string', minLength: 1 });
}

/** An upper bound with a name the error message shows (see limits.ts). */
export interface NumberLimit {
  readonly value: number;
  readonly name: string;
}

function overLimit(text: string, value: number, limit: NumberLimit | undefined): string | null {
  if (limit === undefined || value <= limit.value) return null;
  return `${text.trim()} is above ${limit.name} = ${limit.value}, more than any machine or cluster can handle; use a smaller value`;
}

export function int(options: { min?: number; max?: number; limit?: NumberLimit } = {}): Codec<number> {
  const { min, max, limit } = options;
  const range = min !== undefined && max !== undefined ? ` between ${min} and ${max}`
    : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : '';
  const expected = `a whole number${range}`;
  return scalar(expected, (text) => {
    const trimmed = text.trim();
    if (!/^[-+]?\d+$/.test(trimmed)) return fail(`expected ${expected}, got \`${text}\``);
    const value = Number(trimmed);
    if (!Number.isSafeInteger(value)) return fail(overLimit(text, Infinity, limit) ?? `\`${text}\` is too large`);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      return fail(`expected ${expected}, got ${value}`);
    }
    const over = overLimit(text, value, limit);
    return over === null ? ok(value) : fail(over);
  }, {
    type: 'integer',
    ...(min !== undefined ? { minimum: min } : {}),
    ...(max !== undefined ? { maximum: max } : limit !== undefined ? { maximum: limit.value } : {}),
  });
}

export function num(options: { min?: number; exclusiveMin?: number; max?: number; limit?: NumberLimit } = {}): Codec<number> {
  const { min, exclusiveMin, max, limit } = options;
  const range = exclusiveMin !== undefined ? ` greater than ${exclusiveMin}`
    : min !== undefined && max !== undefined ? ` between ${min} and ${max}`
      : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : '';
  const expected = `a number${range}`;
  return scalar(expected, (text) => {
    const trimmed = text.trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return fail(`expected ${expected}, got \`${text}\``);
    const value = Number(trimmed);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)
      || (exclusiveMin !== undefined && value <= exclusiveMin)) {
      return fail(`expected ${expected}, got ${value}`);
    }
    const over = overLimit(text, value, limit);
    return over === null ? ok(value) : fail(over);
  }, {
    type: 'number',
    ...(min !== undefined ? { minimum: min } : {}),
    ...(exclusiveMin !== undefined ? { exclusiveMinimum: exclusiveMin } : {}),
    ...(max !== undefined ? { maximum: max } : limit !== undefined ? { maximum: limit.value } : {}),
  });
}

/** `true` or `false`, in any letter case (Hyperfoil's rule); `yes`/`on` are rejected to avoid YAML 1.1 surprises. */
export const bool: Codec<boolean> = scalar('`true` or `false`', (text) => {
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return ok(true);
  if (lower === 'false') return ok(false);
  return fail(`expected \`true\` or \`false\`, got \`${text}\``);
}, { type: 'boolean' });

/** One of fixed names. `ignoreCase` for the keys Hyperfoil parses by hand (failurePolicy, followRedirect…). */
export function oneOf<const V extends string>(values: readonly V[], options: { ignoreCase?: boolean } = {}): Codec<V> {
  const expected = `one of ${values.map((v) => `\`${v}\``).join(', ')}`;
  return scalar(expected, (text) => {
    const trimmed = text.trim();
    const found = values.find((v) => (options.ignoreCase ? v.toLowerCase() === trimmed.toLowerCase() : v === trimmed));
    if (found !== undefined) return ok(found);
    return fail(`expected ${expected}, got \`${text}\`.${didYouMean(trimmed, values)}`.replace(/\.$/, ''));
  }, { type: 'string', enum: [...values] });
}

/** A scalar parsed by a function from lib (durations, latencies …), described by `schema`. */
export function parsed<T>(expected: string, parse: (text: string) => Parsed<T>, schema: JsonSchema = { type: ['string', 'number'] }): Codec<T> {
  return scalar(expected, parse, schema);
}

// ---------------------------------------------------------------------------------------------------------------
// Combinators

/** Transform a decoded value; `check` may report problems (at the node) and return INVALID. */
export function map<A, B>(codec: Codec<A>, fn: (value: A, node: YNode, cx: DecodeContext) => Decoded<B>): Codec<B> {
  return {
    expected: codec.expected,
    decode(node, cx) {
      const value = codec.decode(node, cx);
      return value === INVALID ? INVALID : fn(value, cx.deref(node), cx);
    },
    schema: (defs) => codec.schema(defs),
  };
}

/** Choose a decoder by the node's shape: a scalar, a mapping or a list. */
export function byKind<T>(expected: string, forms: { scalar?: Codec<T>; mapping?: Codec<T>; list?: Codec<T>; empty?: Codec<T> }): Codec<T> {
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      const kind = kindOf(node);
      // Without a list form of its own, a list is the mapping form's repeated invocations (see `object`).
      const codec = isEmpty(node) && forms.empty ? forms.empty
        : forms[kind] ?? (isRepeatedInvocations(node, cx) ? forms.mapping : undefined);
      if (!codec) return mismatch(node, cx, expected);
      return codec.decode(node, cx);
    },
    schema(defs) {
      const schemas = [forms.scalar, forms.mapping, forms.list].filter((c): c is Codec<T> => c !== undefined).map((c) => c.schema(defs));
      return schemas.length === 1 ? (schemas[0] as JsonSchema) : { anyOf: schemas };
    },
  };
}

/** A constant for an empty value (`key:`), e.g. flags such as `fromNow:`. */
export function emptyAs<T>(value: T): Codec<T> {
  return {
    expected: 'nothing',
    decode: (node, cx) => (isEmpty(cx.deref(node)) ? value : mismatch(node, cx, 'no value')),
    schema: () => ({ type: 'null' }),
  };
}

export function list<T>(item: Codec<T>, options: { minItems?: number; expected?: string } = {}): Codec<T[]> {
  const expected = options.expected ?? `a list of ${item.expected}`;
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (!isSeq(node)) return mismatch(node, cx, expected);
      const items = node.items as YNode[];
      if (options.minItems !== undefined && items.length < options.minItems) {
        cx.problem(node, `expected at least ${options.minItems} item${options.minItems === 1 ? '' : 's'} in ${expected}`);
        return INVALID;
      }
      let valid = true;
      const out: T[] = [];
      for (const child of items) {
        const value = item.decode(child ?? emptyNodeAt(node), cx);
        if (value === INVALID) valid = false;
        else out.push(value);
      }
      return valid ? out : INVALID;
    },
    schema: (defs) => ({ type: 'array', items: item.schema(defs), ...(options.minItems ? { minItems: options.minItems } : {}) }),
  };
}

/** Hyperfoil's "list or single" builders: one item, or a list of them. */
export function listOrSingle<T>(item: Codec<T>): Codec<T[]> {
  const asList = list(item);
  return {
    expected: `${item.expected}, or a list of them`,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (isSeq(node)) return asList.decode(node, cx);
      const value = item.decode(node, cx);
      return value === INVALID ? INVALID : [value];
    },
    schema: (defs) => ({ anyOf: [item.schema(defs), asList.schema(defs)] }),
  };
}

export interface Entry<T> {
  readonly key: string;
  readonly value: T;
  readonly keyNode: YNode;
}

function pairsOf(node: YAMLMap): Array<{ key: YNode; value: YNode }> {
  return node.items.filter(isPair).map((pair) => ({
    key: pair.key as YNode,
    value: (pair.value as YNode | null) ?? emptyNodeAt(pair.key as YNode),
  }));
}

/**
 * Named entries: a mapping `{name: value, …}` and/or a list of single-key mappings `[{name: value}, …]`
 * (Hyperfoil accepts either form for forks, handlers and hooks; phases and sequences take the list form).
 * In the list form a bare scalar item is a name with an empty value.
 */
export function entries<T>(value: Codec<T>, options: { forms: 'list' | 'mapping' | 'both'; what: string; minItems?: number }): Codec<Array<Entry<T>>> {
  const expected = options.forms === 'list' ? `a list of ${options.what}s (\`- name: …\`)`
    : options.forms === 'mapping' ? `a mapping of ${options.what}s` : `a mapping or a list of ${options.what}s`;
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      const pairs: Array<{ key: YNode; value: YNode }> = [];
      if (isMap(node) && options.forms !== 'list') {
        pairs.push(...pairsOf(node));
      } else if (isSeq(node) && options.forms !== 'mapping') {
        for (const rawItem of node.items as YNode[]) {
          const item = cx.deref(rawItem);
          if (isScalar(item) && !isEmpty(item)) {
            pairs.push({ key: item, value: emptyNodeAt(item) });
          } else if (isMap(item) && item.items.length === 1) {
            pairs.push(...pairsOf(item));
          } else {
            cx.problem(item, `expected a single \`name: value\` pair for each ${options.what}, got ${isMap(item) ? `${item.items.length} keys (are you missing a \`-\`?)` : KIND_NAMES[kindOf(item)]}`);
            pairs.push({ key: item, value: item });
            return INVALID;
          }
        }
      } else {
        return mismatch(node, cx, expected);
      }
      if (options.minItems !== undefined && pairs.length < options.minItems) {
        cx.problem(node, `expected at least ${options.minItems} ${options.what}`);
        return INVALID;
      }
      let valid = true;
      const out: Array<Entry<T>> = [];
      for (const pair of pairs) {
        const key = scalarText(cx.deref(pair.key));
        if (key === undefined || key === '') {
          cx.problem(pair.key, `expected the name of a ${options.what}`);
          valid = false;
          continue;
        }
        const decoded = value.decode(pair.value, cx);
        if (decoded === INVALID) valid = false;
        else out.push({ key, value: decoded, keyNode: pair.key });
      }
      return valid ? out : INVALID;
    },
    schema(defs) {
      const valueSchema = value.schema(defs);
      const asMap: JsonSchema = { type: 'object', additionalProperties: valueSchema };
      const asList: JsonSchema = {
        type: 'array',
        items: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: valueSchema, minProperties: 1, maxProperties: 1 }] },
      };
      return options.forms === 'list' ? asList : options.forms === 'mapping' ? asMap : { anyOf: [asMap, asList] };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Objects with known properties

export interface Prop<T, Required extends boolean> {
  readonly codec: Codec<T>;
  readonly required: Required;
  readonly description?: string;
  readonly deprecated?: string;
}

export function required<T>(codec: Codec<T>, description?: string): Prop<T, true> {
  return { codec, required: true, ...(description ? { description } : {}) };
}

export function optional<T>(codec: Codec<T>, description?: string): Prop<T, false> {
  return { codec, required: false, ...(description ? { description } : {}) };
}

/** Accepted for compatibility but warned about. */
export function deprecated<T>(codec: Codec<T>, hint: string): Prop<T, false> {
  return { codec, required: false, deprecated: hint };
}

type AnyProps = Record<string, Prop<unknown, boolean>>;
type RequiredKeys<P extends AnyProps> = { [K in keyof P]: P[K] extends Prop<unknown, true> ? K : never }[keyof P];
type OptionalKeys<P extends AnyProps> = Exclude<keyof P, RequiredKeys<P>>;
export type ObjectOf<P extends AnyProps> =
  & { -readonly [K in RequiredKeys<P>]: DecodedOf<P[K]['codec']> }
  & { -readonly [K in OptionalKeys<P>]?: DecodedOf<P[K]['codec']> };

export interface ObjectOptions<O> {
  /** What this mapping is, for messages: "phase `constantRate`". */
  readonly what: string;
  readonly description?: string;
  /** The inline form: a scalar decoded into the object (`thinkTime: 100ms`). */
  readonly inline?: Codec<O>;
  /** The value when the mapping is empty or absent (`- awaitAllResponses`); without it an empty value is an error. */
  readonly empty?: () => O;
  /** Cross-property checks; report problems through cx and return INVALID, or the (possibly completed) value. */
  readonly check?: (value: O, node: YNode, cx: DecodeContext) => Decoded<O>;
  /** False where Hyperfoil's parser takes only a mapping (the benchmark's top level): no list of mappings. */
  readonly repeatable?: boolean;
}

export interface ObjectCodec<O> extends Codec<O> {
  readonly keys: readonly string[];
}

/**
 * Hyperfoil's "repeated invocations": wherever a mapping of properties is expected, a list of mappings is read as
 * those mappings' properties applied in order (`handler: [{status: …}, {body: …}]`). A property given again adds to
 * a list-valued property and replaces any other (the later call wins, as in Hyperfoil's builders). A list holding
 * anything but mappings is not this form, and is reported as the wrong kind of value.
 */
export function isRepeatedInvocations(node: YNode, cx: DecodeContext): boolean {
  return isSeq(node) && node.items.length > 0 && (node.items as YNode[]).every((item) => isMap(cx.deref(item)));
}

/** The mappings of a list of repeated invocations merged into one, positioned at the list. */
function mergedMappings(node: YNode, cx: DecodeContext): YAMLMap {
  const maps = (node as { items: YNode[] }).items.map((item) => cx.deref(item) as YAMLMap);
  const merged = (maps[0] as YAMLMap).clone() as YAMLMap;
  merged.items = maps.flatMap((m) => m.items);
  if (node.range) merged.range = [...node.range];
  return merged;
}

/**
 * The list form in the schema: mappings whose keys are the object's properties. Their values are described by the
 * mapping form only: repeating every property's schema here would double the schema at each level of nesting.
 */
function repeatedInvocationsSchema(keys: readonly string[]): JsonSchema {
  return { type: 'array', items: { type: 'object', propertyNames: { enum: [...keys] }, minProperties: 1 }, minItems: 1 };
}

export function object<P extends AnyProps>(props: P, options: ObjectOptions<ObjectOf<P>>): ObjectCodec<ObjectOf<P>> {
  type O = ObjectOf<P>;
  const keys = Object.keys(props);
  const expected = `a mapping for ${options.what}`;
  const decodeMapping = (node: YAMLMap, cx: DecodeContext): Decoded<O> => {
    const out: Record<string, unknown> = {};
    let valid = true;
    for (const pair of pairsOf(node)) {
      const keyNode = cx.deref(pair.key);
      const key = scalarText(keyNode);
      const prop = key === undefined ? undefined : props[key];
      if (key === undefined || prop === undefined || !Object.hasOwn(props, key)) {
        cx.problem(keyNode, `unknown property \`${key ?? '?'}\` in ${options.what}.${didYouMean(key ?? '', keys)} Expected one of: ${keys.join(', ')}`);
        valid = false;
        continue;
      }
      if (prop.deprecated) cx.warn(keyNode, `\`${key}\` is deprecated: ${prop.deprecated}`);
      const value = prop.codec.decode(pair.value, cx);
      if (value === INVALID) valid = false;
      else {
        const before = out[key];
        out[key] = Array.isArray(before) && Array.isArray(value) ? [...(before as unknown[]), ...(value as unknown[])] : value;
      }
    }
    for (const key of keys) {
      if (props[key]?.required && !(key in out) && valid) {
        cx.problem(node, `missing \`${key}\` in ${options.what}`);
        valid = false;
      }
    }
    if (!valid) return INVALID;
    return options.check ? options.check(out as O, node, cx) : (out as O);
  };
  return {
    expected,
    keys,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (isMap(node)) return decodeMapping(node, cx);
      if (options.repeatable !== false && isRepeatedInvocations(node, cx)) return decodeMapping(mergedMappings(node, cx), cx);
      if (isEmpty(node) && options.empty) {
        const value = options.empty();
        return options.check ? options.check(value, node, cx) : value;
      }
      if (isScalar(node) && !isEmpty(node) && options.inline) {
        const value = options.inline.decode(node, cx);
        if (value === INVALID) return INVALID;
        return options.check ? options.check(value, node, cx) : value;
      }
      const alternatives = [expected, options.inline ? `an inline ${options.inline.expected}` : ''].filter(Boolean).join(' or ');
      return mismatch(node, cx, alternatives);
    },
    schema(defs) {
      const properties: Record<string, JsonSchema> = {};
      for (const key of keys) {
        const prop = props[key] as Prop<unknown, boolean>;
        const schema = prop.codec.schema(defs);
        const description = prop.description ?? (prop.deprecated ? `Deprecated: ${prop.deprecated}` : undefined);
        properties[key] = description ? { ...schema, description } : schema;
      }
      const requiredKeys = keys.filter((k) => props[k]?.required);
      const asObject: JsonSchema = {
        type: 'object',
        ...(options.description ? { description: options.description } : {}),
        properties,
        additionalProperties: false,
        ...(requiredKeys.length ? { required: requiredKeys } : {}),
      };
      const forms = options.repeatable === false || keys.length === 0 ? [asObject] : [asObject, repeatedInvocationsSchema(keys)];
      if (options.inline) forms.push(options.inline.schema(defs));
      if (options.empty) forms.push({ type: 'null' });
      return forms.length === 1 ? asObject : { anyOf: forms };
    },
  };
}

/** A codec registered once under `name` in the schema's `$defs` and referenced elsewhere; allows recursion. */
export function named<T>(name: string, make: () => Codec<T>): Codec<T> {
  let codec: Codec<T> | undefined;
  const get = (): Codec<T> => (codec ??= make());
  return {
    get expected() { return get().expected; },
    decode: (node, cx) => get().decode(node, cx),
    schema(defs) {
      if (!defs.has(name)) {
        defs.set(name, {}); // placeholder first: a recursive reference finds the name and stops
        defs.set(name, get().schema(defs));
      }
      return { $ref: `#/$defs/${name}` };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Components: steps, actions, processors and handlers, written as `- name`, `- name: inline` or `- name: {props}`

export interface Component<N extends string = string, C = unknown> {
  readonly name: N;
  readonly config: C;
  /** Where it was written, for messages at run time: `file:line:column`. */
  readonly at: string;
}

export type ComponentOf<R extends Record<string, Codec<unknown>>> = {
  [K in keyof R & string]: Component<K, DecodedOf<R[K]>>
}[keyof R & string];

export interface ComponentRegistry<R extends Record<string, Codec<unknown>>> {
  /** What a member is called in messages: "step", "processor", "action". */
  readonly what: string;
  readonly codecs: R;
  /** Names Hyperfoil knows that we do not implement yet, with the reason shown to the user. */
  readonly unsupported?: Readonly<Record<string, string>>;
}

/**
 * A list of components (`[- name, - name: cfg]`), and with `allowMapping` also a mapping `{name: cfg, name2: cfg}`
 * (Hyperfoil's handler lists). A lone component (not in a list) is accepted where Hyperfoil accepts it.
 */
export function components<R extends Record<string, Codec<unknown>>>(
  registry: ComponentRegistry<R>,
  options: { allowMapping?: boolean; allowScalar?: boolean } = {},
): Codec<Array<ComponentOf<R>>> {
  // Read at each use, not once: extensions add members after the registries are built.
  const names = (): string[] => Object.keys(registry.codecs);
  const what = registry.what;
  const decodeOne = (keyNode: YNode, valueNode: YNode, cx: DecodeContext): Decoded<ComponentOf<R>> => {
    const name = scalarText(cx.deref(keyNode));
    if (name === undefined || name === '') {
      cx.problem(keyNode, `expected the name of a ${what}`);
      return INVALID;
    }
    const codec = Object.hasOwn(registry.codecs, name) ? registry.codecs[name] : undefined;
    if (!codec) {
      const reason = registry.unsupported?.[name];
      if (reason !== undefined) cx.problem(keyNode, `${what} \`${name}\` is not supported yet: ${reason}`);
      else cx.problem(keyNode, `unknown ${what} \`${name}\`.${didYouMean(name, names())}`.replace(/\.$/, ''));
      return INVALID;
    }
    const config = codec.decode(valueNode, cx);
    if (config === INVALID) return INVALID;
    return { name, config, at: cx.positionOf(keyNode) } as ComponentOf<R>;
  };
  const decodeItems = (items: YNode[], cx: DecodeContext): Decoded<Array<ComponentOf<R>>> => {
    let valid = true;
    const out: Array<ComponentOf<R>> = [];
    for (const rawItem of items) {
      const item = cx.deref(rawItem);
      let decoded: Decoded<ComponentOf<R>>;
      if (isScalar(item)) {
        decoded = decodeOne(item, emptyNodeAt(item), cx);
      } else if (isMap(item) && item.items.length === 1) {
        const [pair] = pairsOf(item);
        decoded = pair ? decodeOne(pair.key, pair.value, cx) : INVALID;
      } else {
        cx.problem(item, `expected one ${what} per list item (\`- name: …\`), got ${isMap(item) ? `a mapping with ${item.items.length} keys: are you missing a \`-\` or an indentation?` : KIND_NAMES[kindOf(item)]}`);
        decoded = INVALID;
      }
      if (decoded === INVALID) valid = false;
      else out.push(decoded);
    }
    return valid ? out : INVALID;
  };
  const expected = `a list of ${what}s${options.allowMapping ? ` or a mapping of ${what}s` : ''}`;
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      if (isSeq(node)) return decodeItems(node.items as YNode[], cx);
      if (isMap(node) && options.allowMapping) {
        let valid = true;
        const out: Array<ComponentOf<R>> = [];
        for (const pair of pairsOf(node)) {
          const decoded = decodeOne(pair.key, pair.value, cx);
          if (decoded === INVALID) valid = false;
          else out.push(decoded);
        }
        return valid ? out : INVALID;
      }
      if (isScalar(node) && !isEmpty(node) && options.allowScalar) return decodeItems([node], cx);
      return mismatch(node, cx, expected);
    },
    schema(defs) {
      const variants = names().map((name) => {
        const value = (registry.codecs[name] as Codec<unknown>).schema(defs);
        return { type: 'object', properties: { [name]: value }, required: [name], additionalProperties: false } as JsonSchema;
      });
      const bare: JsonSchema = { type: 'string', enum: names() };
      const item: JsonSchema = { anyOf: [bare, ...variants] };
      const asList: JsonSchema = { type: 'array', items: item };
      if (!options.allowMapping) return asList;
      const properties = Object.fromEntries(names().map((name) => [name, (registry.codecs[name] as Codec<unknown>).schema(defs)]));
      return { anyOf: [asList, { type: 'object', properties, additionalProperties: false }] };
    },
  };
}
