/** Values that may grow with the phase iteration: a number, or `{base, increment}`. */
import type { Incrementable } from '../plan/index.js';
import { byKind, int, map, named, num, object, optional, required } from './codec.js';
import type { Codec } from './codec.js';
import { MAX_SESSIONS, MAX_USERS_PER_SEC } from './limits.js';

function incrementable(value: Codec<number>): Codec<Incrementable> {
  return byKind(`${value.expected}, or \`{base, increment}\` to grow with the iterations`, {
    scalar: map(value, (base) => ({ base, increment: 0 })),
    mapping: map(object({
      base: required(value, 'Value in the first iteration.'),
      increment: optional(value, 'Added in each further iteration. Default 0.'),
    }, { what: '`{base, increment}`' }), (v) => ({ base: v.base, increment: v.increment ?? 0 })),
  });
}

/** User counts (`users: 10` or `users: {base: 10, increment: 5}`); positivity is checked per iteration. */
export const incrementableInt: Codec<Incrementable> = named('incrementableInteger', () => incrementable(int({ limit: MAX_SESSIONS })));

/** Rates (`usersPerSec: 2.5` or `{base: 10, increment: 10}`). */
export const incrementableNum: Codec<Incrementable> = named('incrementableNumber', () => incrementable(num({ limit: MAX_USERS_PER_SEC })));
