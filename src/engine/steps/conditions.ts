/**
 * Conditions on session variables (`intCondition`, `stringCondition`, `boolCondition`, `allConditions`), compiled
 * once into small objects: every variable is resolved to an accessor and every comparison operand to an `IntValue`,
 * so testing a condition allocates nothing (except converting a bytes value to text for a string match).
 *
 * Semantics (Hyperfoil's): a condition with `isSet: false` holds exactly when the variable is unset; otherwise an
 * unset variable makes it false. An int condition on a text variable parses the text (a text that is not an integer
 * fails the session, as Hyperfoil's parse does). A bool condition reads `true`/`false` in any case from text, and a
 * non-zero int as true.
 */
import type {
  BoolCondition, Condition, IntComparisonOp, IntComparisons, IntCondition, StringCondition, StringMatch,
} from '../../config/conditions.js';
import type { CompileContext, IntValue } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import { valueToString } from '../pattern.js';
import type { ReadAccess, VarHolder } from '../vars.js';

/** A compiled condition. */
export interface Predicate {
  test(session: VarHolder): boolean;
}

const OP_EQ = 0;
const OP_NE = 1;
const OP_GT = 2;
const OP_GE = 3;
const OP_LT = 4;
const OP_LE = 5;

const OP_CODES: Readonly<Record<IntComparisonOp, number>> = {
  equalTo: OP_EQ, notEqualTo: OP_NE, greaterThan: OP_GT, greaterOrEqualTo: OP_GE, lessThan: OP_LT, lessOrEqualTo: OP_LE,
};

/** Comparisons of a value given by the caller against operands (all must hold; none = always true). */
export class IntTest {
  private readonly ops: Uint8Array;

  constructor(ops: readonly IntComparisonOp[], private readonly operands: readonly IntValue[]) {
    this.ops = Uint8Array.from(ops.map((op) => OP_CODES[op]));
  }

  get isEmpty(): boolean {
    return this.ops.length === 0;
  }

  test(session: VarHolder, value: number): boolean {
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) {
      const than = this.operands[i]!.get(session);
      let ok: boolean;
      switch (ops[i]) {
        case OP_EQ: ok = value === than; break;
        case OP_NE: ok = value !== than; break;
        case OP_GT: ok = value > than; break;
        case OP_GE: ok = value >= than; break;
        case OP_LT: ok = value < than; break;
        default: ok = value <= than; break;
      }
      if (!ok) return false;
    }
    return true;
  }
}

export function compileIntTest(cx: CompileContext, comparisons: IntComparisons): IntTest {
  return new IntTest(comparisons.map((c) => c.op), comparisons.map((c) => cx.intValue(c.than)));
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** Reads an int from a variable that holds an int or the text of one (failing the session otherwise). */
export function intOf(access: ReadAccess, session: VarHolder): number {
  const value = access.getObject(session);
  if (typeof value === 'number') return value;
  const text = valueToString(value).trim();
  if (INTEGER_TEXT.test(text)) return Number(text);
  throw new SessionFailure(`Variable ${access.name} holds \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`, which is not an integer`);
}

/** A string match (content and/or length) against text given by the caller. */
export class StringMatcher {
  private readonly kind: number;
  private readonly text: string;
  private readonly lowerText: string;
  private readonly caseSensitive: boolean;
  private readonly negate: boolean;

  constructor(
    match: StringMatch,
    private readonly other: ReadAccess | null,
    private readonly length: IntTest,
  ) {
    const content = match.content;
    this.kind = content === undefined ? 0 : content.kind === 'equal' ? 1 : content.kind === 'prefix' ? 2 : content.kind === 'suffix' ? 3 : 4;
    this.text = content !== undefined && content.kind !== 'var' ? content.text : '';
    this.lowerText = this.text.toLowerCase();
    this.caseSensitive = match.caseSensitive;
    this.negate = match.negate;
  }

  matches(session: VarHolder, value: string): boolean {
    let ok = this.length.isEmpty || this.length.test(session, value.length);
    if (ok && this.kind !== 0) {
      const subject = this.caseSensitive ? value : value.toLowerCase();
      let expected = this.caseSensitive ? this.text : this.lowerText;
      if (this.kind === 4) {
        const other = valueToString(this.other!.getObject(session));
        expected = this.caseSensitive ? other : other.toLowerCase();
      }
      switch (this.kind) {
        case 2: ok = subject.startsWith(expected); break;
        case 3: ok = subject.endsWith(expected); break;
        default: ok = subject === expected; break;
      }
    }
    return this.negate ? !ok : ok;
  }
}

export function compileStringMatcher(cx: CompileContext, match: StringMatch): StringMatcher {
  const other = match.content?.kind === 'var' ? cx.readVar(match.content.var) : null;
  return new StringMatcher(match, other, compileIntTest(cx, match.length));
}

class IntPredicate implements Predicate {
  constructor(private readonly access: ReadAccess, private readonly isSet: boolean, private readonly comparisons: IntTest) {}

  test(session: VarHolder): boolean {
    if (!this.access.isSet(session)) return !this.isSet;
    if (!this.isSet) return false;
    return this.comparisons.test(session, intOf(this.access, session));
  }
}

class StringPredicate implements Predicate {
  constructor(private readonly access: ReadAccess, private readonly isSet: boolean, private readonly matcher: StringMatcher) {}

  test(session: VarHolder): boolean {
    if (!this.access.isSet(session)) return !this.isSet;
    if (!this.isSet) return false;
    return this.matcher.matches(session, valueToString(this.access.getObject(session)));
  }
}

/** true/false from a variable: a boolean, `true`/`false` text (any case), or an int (non-zero = true). */
export function boolOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = valueToString(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

class BoolPredicate implements Predicate {
  constructor(private readonly access: ReadAccess, private readonly expected: boolean) {}

  test(session: VarHolder): boolean {
    if (!this.access.isSet(session)) return false;
    return boolOf(this.access.getObject(session)) === this.expected;
  }
}

class AllPredicate implements Predicate {
  constructor(private readonly all: readonly Predicate[]) {}

  test(session: VarHolder): boolean {
    const all = this.all;
    for (let i = 0; i < all.length; i++) if (!all[i]!.test(session)) return false;
    return true;
  }
}

export function compileCondition(cx: CompileContext, condition: Condition): Predicate {
  switch (condition.kind) {
    case 'int': return compileInt(cx, condition);
    case 'string': return compileString(cx, condition);
    case 'bool': return compileBool(cx, condition);
    case 'all': return new AllPredicate(condition.conditions.map((c) => compileCondition(cx, c)));
    default: {
      const never: never = condition;
      return cx.error(`unknown condition ${JSON.stringify(never)}`);
    }
  }
}

function compileInt(cx: CompileContext, c: IntCondition): Predicate {
  return new IntPredicate(cx.readVar(c.fromVar), c.isSet, compileIntTest(cx, c.comparisons));
}

function compileString(cx: CompileContext, c: StringCondition): Predicate {
  return new StringPredicate(cx.readVar(c.fromVar), c.isSet, compileStringMatcher(cx, c));
}

function compileBool(cx: CompileContext, c: BoolCondition): Predicate {
  return new BoolPredicate(cx.readVar(c.fromVar), c.value);
}
