/** Small pieces shared by several step families. */
import { emptyAs, map, object, oneOf } from '../codec.js';
import type { Codec } from '../codec.js';
import { fail, forms, ok } from '../forms.js';
import type { Parsed } from '../../lib/index.js';

/** How response bytes are stored in a variable (Hyperfoil's DataFormat; case-sensitive). */
export type DataFormat = 'STRING' | 'BYTES' | 'BYTEBUF';

export const dataFormat: Codec<DataFormat> = oneOf(['STRING', 'BYTES', 'BYTEBUF'] as const);

/** A component without properties (`- stop`, `- noop`), also accepting an empty mapping. */
export type NoConfig = Readonly<Record<string, never>>;

export function noConfig(what: string): Codec<NoConfig> {
  const none: NoConfig = {};
  return forms<NoConfig>(what, {
    empty: () => none,
    mapping: map(object({}, { what }), () => none),
  });
}

/** Splits `left <- right` / `left -> right` at the first arrow; both sides trimmed and non-empty. */
export function splitArrow(text: string, arrow: '<-' | '->', usage: string): Parsed<[string, string]> {
  const at = text.indexOf(arrow);
  if (at < 0) return fail(`expected ${usage}, got \`${text}\``);
  const left = text.slice(0, at).trim();
  const right = text.slice(at + arrow.length).trim();
  if (left === '' || right === '') return fail(`expected ${usage}, got \`${text}\``);
  return ok([left, right]);
}

/** `flag:` with no value (scheduleDelay's `fromNow:`). */
export const flag: Codec<true> = emptyAs(true as const);
