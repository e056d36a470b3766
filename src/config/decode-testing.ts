/**
 * Test support (not used by the product): decode YAML with any codec the way the loader does, and a stand-in
 * scenario decoder, so that phase and benchmark logic can be tested before and independently of the step catalogue.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YNode } from 'yaml';
import { formatProblem } from '../lib/index.js';
import { INVALID } from './codec.js';
import type { Codec, Decoded } from './codec.js';
import { SourceContext } from './context.js';
import type { FileSource } from './context.js';
import type { Scenario } from './model.js';

export interface Decoding<T> {
  readonly value: Decoded<T>;
  /** `line:column message`, in file order. */
  readonly problems: string[];
  readonly warnings: string[];
  readonly files: ReadonlyMap<string, Buffer>;
  readonly cx: SourceContext;
}

export interface DecodeYamlOptions {
  readonly fileName?: string;
  readonly files?: FileSource;
  /** Picks the node to decode (e.g. `child('scenario')`); default the document root. */
  readonly select?: (root: YNode, cx: SourceContext) => YNode;
}

/** Parses test YAML (which must be well-formed) into its root node and a decode context. */
export function parseYaml(yaml: string, options: { fileName?: string; files?: FileSource } = {}): { root: YNode; cx: SourceContext } {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`test YAML does not parse: ${doc.errors[0]?.message}`);
  const cx = new SourceContext(options.fileName ?? 't.yaml', doc, lines, options.files);
  return { root: doc.contents as YNode, cx };
}

/** `line:column message` lines, in file order. */
export function formatProblems(list: SourceContext['problems']): string[] {
  return [...list]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((p) => formatProblem(p).replace(/^[^:]*:/, ''))
    .map((s) => s.replace(/^(\d+:\d+): /, '$1 '));
}

export function decodeYaml<T>(codec: Codec<T>, yaml: string, options: DecodeYamlOptions = {}): Decoding<T> {
  const { root, cx } = parseYaml(yaml, options);
  const value = codec.decode(options.select ? options.select(root, cx) : root, cx);
  return { value, problems: formatProblems(cx.problems), warnings: formatProblems(cx.warnings), files: cx.files, cx };
}

/** Unwraps a decoded value, failing with the problems when there are any. */
export function valueOf<T>(decoding: Decoding<T>): T {
  if (decoding.value === INVALID || decoding.problems.length > 0) {
    throw new Error(`expected a valid value, got:\n${decoding.problems.join('\n')}`);
  }
  return decoding.value;
}

/** Selects the value of `key` in the root mapping. */
export function child(key: string): (root: YNode, cx: SourceContext) => YNode {
  return (root, cx) => {
    const node = cx.deref(root);
    const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
    if (!pair?.value) throw new Error(`the test document has no \`${key}\``);
    return pair.value as YNode;
  };
}

/** Every `scenario:` value of a benchmark (top level, phases, forks, staircase), in document order. */
export function findScenarioNodes(root: YNode, cx: SourceContext): YNode[] {
  const found: YNode[] = [];
  const visit = (node: YNode | null | undefined, depth: number): void => {
    if (!node || depth > 20) return;
    const resolved = cx.deref(node);
    if (isMap(resolved)) {
      for (const pair of resolved.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key) && String(pair.key.value) === 'scenario' && pair.value) found.push(pair.value as YNode);
        else visit(pair.value as YNode, depth + 1);
      }
    } else if (isSeq(resolved)) {
      for (const item of resolved.items as YNode[]) visit(item, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

/** A scenario stand-in: a scalar names it (one initial sequence of that name), anything else is `stub`. */
export const stubScenario: Codec<Scenario> = {
  expected: 'a scenario',
  decode(raw, cx) {
    const node = cx.deref(raw);
    const name = isScalar(node) ? String(node.value) : 'stub';
    return { initialSequences: [{ name, concurrency: 0, steps: [] }], sequences: [], maxRequests: 16, maxSequences: 16 };
  },
  schema: () => ({}),
};
