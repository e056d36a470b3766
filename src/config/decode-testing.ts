/**
 * Test support (not used by the product): decode YAML with any codec the way the loader does, and a stand-in
 * scenario decoder, so that phase and benchmark logic can be tested before and independently of the step catalogue.
 */
import { isScalar, LineCounter, parseDocument } from 'yaml';
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
}

export function decodeYaml<T>(codec: Codec<T>, yaml: string, options: { fileName?: string; files?: FileSource } = {}): Decoding<T> {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`test YAML does not parse: ${doc.errors[0]?.message}`);
  const cx = new SourceContext(options.fileName ?? 't.yaml', doc, lines, options.files);
  const value = codec.decode(doc.contents as YNode, cx);
  const show = (list: typeof cx.problems): string[] => [...list]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((p) => formatProblem(p).replace(/^[^:]*:/, ''))
    .map((s) => s.replace(/^(\d+:\d+): /, '$1 '));
  return { value, problems: show(cx.problems), warnings: show(cx.warnings), files: cx.files };
}

/** Unwraps a decoded value, failing with the problems when there are any. */
export function valueOf<T>(decoding: Decoding<T>): T {
  if (decoding.value === INVALID || decoding.problems.length > 0) {
    throw new Error(`expected a valid value, got:\n${decoding.problems.join('\n')}`);
  }
  return decoding.value;
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
