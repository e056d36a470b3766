/**
 * Session variable references as Hyperfoil writes them: `name`, or `name[.]` for the element of array `name` at the
 * index of the current sequence instance. Also the `name[size]` form that declares an array target
 * (`toArray: ids[10]`, `array: ids[10]`).
 */
import type { Parsed } from '../lib/index.js';
import { scalar } from './codec.js';
import type { Codec } from './codec.js';
import type { VarRef } from './model.js';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** `foo` → plain, `foo[.]` → sequence-scoped element; anything else with brackets is refused. */
export function parseVarRef(text: string): Parsed<VarRef> {
  const trimmed = text.trim();
  if (trimmed === '') return fail('expected a variable name');
  if (trimmed.endsWith('[.]')) {
    const name = trimmed.slice(0, -3).trim();
    if (name === '') return fail(`expected a variable name before \`[.]\`, got \`${text}\``);
    if (/[[\]]/.test(name)) return fail(`\`${text}\` is not a variable reference: use \`name\` or \`name[.]\``);
    return ok({ name, indexed: true });
  }
  if (/[[\]]/.test(trimmed)) {
    return fail(`\`${text}\` is not a variable reference: use \`name\` or \`name[.]\` (the element at the index of the current sequence instance)`);
  }
  return ok({ name: trimmed, indexed: false });
}

export const varRef: Codec<VarRef> = scalar('a variable name (`name` or `name[.]`)', parseVarRef, {
  type: 'string', minLength: 1, description: 'Session variable: `name`, or `name[.]` for the element at the index of the current sequence instance.',
});

/** A key or identifier that is not a session variable (shared counter keys, agent data names, delay keys). */
export function identifier(what: string): Codec<string> {
  return scalar(`a ${what}`, (text) => (text.trim() === '' ? fail(`expected a ${what}`) : ok(text.trim())), { type: 'string', minLength: 1 });
}

/** `ids[10]`: an array variable and its maximum size. */
export interface ArrayTarget {
  readonly name: string;
  readonly maxSize: number;
}

export function parseArrayTarget(text: string): Parsed<ArrayTarget> {
  const match = /^\s*([^[\]\s](?:[^[\]]*[^[\]\s])?)\s*\[\s*(\d+)\s*\]\s*$/.exec(text);
  if (!match) return fail(`expected \`variable[maxSize]\` such as \`ids[10]\`, got \`${text}\``);
  const maxSize = Number(match[2]);
  if (!Number.isSafeInteger(maxSize) || maxSize < 1 || maxSize > 0x7fffffff) {
    return fail(`the maximum size in \`${text}\` must be a whole number of at least 1`);
  }
  return ok({ name: match[1] as string, maxSize });
}

export const arrayTarget: Codec<ArrayTarget> = scalar('`variable[maxSize]` such as `ids[10]`', parseArrayTarget, {
  type: 'string', pattern: '^.+\\[\\d+\\]$',
});
