/**
 * Values that change with the iteration (`{base, increment}`) and the checks Hyperfoil applies to them:
 * user counts and constant rates must be positive, a ramp must go in its direction and not be 0 → 0.
 * Every iteration is checked (values are linear in the iteration, so checking the first and the last suffices).
 */
import type { Incrementable, PhaseTypeDef } from './defs.js';

export function valueAt(value: Incrementable, iteration: number): number {
  return value.base + value.increment * iteration;
}

/** The largest value over iterations 0 … iterations-1. */
export function maxOverIterations(value: Incrementable, iterations: number): number {
  return Math.max(valueAt(value, 0), valueAt(value, Math.max(0, iterations - 1)));
}

/** A problem with one property of a phase, by the property's name as written. */
export interface ValueProblem {
  readonly prop: string;
  readonly message: string;
}

const EPSILON = 0.0001;

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

function where(iteration: number, iterations: number): string {
  return iterations > 1 ? ` in iteration ${iteration}` : '';
}

/** The iterations worth checking: the extremes of a linear sequence. */
function ends(iterations: number): number[] {
  return iterations > 1 ? [0, iterations - 1] : [0];
}

export function checkPhaseValues(model: PhaseTypeDef, iterations: number): ValueProblem[] {
  const problems: ValueProblem[] = [];
  switch (model.type) {
    case 'noop':
      break;
    case 'atOnce':
    case 'always': {
      const prop = model.usersPer === 'total' ? 'users' : model.usersPer === 'agent' ? 'usersPerAgent' : 'usersPerThread';
      for (const i of ends(iterations)) {
        const users = valueAt(model.users, i);
        if (users <= 0) {
          problems.push({ prop, message: `\`${prop}\` must be positive, got ${format(users)}${where(i, iterations)}` });
          break;
        }
      }
      break;
    }
    case 'constantRate':
      for (const i of ends(iterations)) {
        const rate = valueAt(model.usersPerSec, i);
        if (rate <= 0) {
          problems.push({ prop: 'usersPerSec', message: `\`usersPerSec\` must be positive, got ${format(rate)}${where(i, iterations)}` });
          break;
        }
      }
      break;
    case 'increasingRate':
    case 'decreasingRate': {
      const increasing = model.type === 'increasingRate';
      for (const i of ends(iterations)) {
        const initial = valueAt(model.initialUsersPerSec, i);
        const target = valueAt(model.targetUsersPerSec, i);
        const at = where(i, iterations);
        if (initial < 0) {
          problems.push({ prop: 'initialUsersPerSec', message: `\`initialUsersPerSec\` must not be negative, got ${format(initial)}${at}` });
        } else if (target < 0) {
          problems.push({ prop: 'targetUsersPerSec', message: `\`targetUsersPerSec\` must not be negative, got ${format(target)}${at}` });
        } else if (initial < EPSILON && target < EPSILON) {
          problems.push({ prop: 'targetUsersPerSec', message: `\`initialUsersPerSec\` and \`targetUsersPerSec\` are both 0${at}: nothing would start` });
        } else if (increasing && !(initial < target)) {
          problems.push({
            prop: 'targetUsersPerSec',
            message: `an increasingRate phase needs \`initialUsersPerSec\` < \`targetUsersPerSec\`, got ${format(initial)} → ${format(target)}${at}`
              + (initial > target ? ': use decreasingRate for a ramp down' : ': use constantRate for a steady rate'),
          });
        } else if (!increasing && !(initial > target)) {
          problems.push({
            prop: 'targetUsersPerSec',
            message: `a decreasingRate phase needs \`initialUsersPerSec\` > \`targetUsersPerSec\`, got ${format(initial)} → ${format(target)}${at}`
              + (initial < target ? ': use increasingRate for a ramp up' : ': use constantRate for a steady rate'),
          });
        }
        if (problems.length > 0) break;
      }
      break;
    }
  }
  return problems;
}
