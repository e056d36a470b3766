/**
 * Conditions of the header handlers, compiled once: `header.conditional` (int/string/bool/all conditions on
 * session variables) and the name match of `header.filter`. Variables are resolved to slots at compile time;
 * testing allocates nothing except when a variable holds bytes that must be read as text.
 */
import type { BoolCondition, Condition, IntComparisons, IntCondition, StringCondition, StringMatch } from '../../config/conditions.js';
import type { CompileContext, IntValue, ReadAccess, Session } from '../../engine/index.js';
import { valueToString } from '../../engine/index.js';

export interface SessionCondition {
  test(session: Session): boolean;
}

/** A match on a text given by the caller (a header name, a variable's value). */
export interface TextMatch {
  test(session: Session, text: string): boolean;
}

interface CompiledComparison {
  readonly op: IntComparisons[number]['op'];
  readonly than: IntValue;
}

function compileComparisons(comparisons: IntComparisons, cx: CompileContext): CompiledComparison[] {
  return comparisons.map((c) => ({ op: c.op, than: cx.intValue(c.than) }));
}

function compare(value: number, comparisons: readonly CompiledComparison[], session: Session): boolean {
  for (let i = 0; i < comparisons.length; i++) {
    const c = comparisons[i]!;
    const than = c.than.get(session);
    switch (c.op) {
      case 'equalTo': if (!(value === than)) return false; break;
      case 'notEqualTo': if (!(value !== than)) return false; break;
      case 'greaterThan': if (!(value > than)) return false; break;
      case 'greaterOrEqualTo': if (!(value >= than)) return false; break;
      case 'lessThan': if (!(value < than)) return false; break;
      case 'lessOrEqualTo': if (!(value <= than)) return false; break;
      default: return false;
    }
  }
  return true;
}

class IntConditionImpl implements SessionCondition {
  constructor(readonly access: ReadAccess, readonly isSet: boolean, readonly comparisons: readonly CompiledComparison[]) {}

  test(session: Session): boolean {
    if (!this.access.isSet(session)) return !this.isSet;
    if (!this.isSet) return false;
    const raw = this.access.getObject(session);
    const value = typeof raw === 'number' ? raw : Number.parseInt(valueToString(raw), 10);
    if (Number.isNaN(value)) return false;
    return compare(value, this.comparisons, session);
  }
}

class TextMatchImpl implements TextMatch {
  private readonly text: string;

  constructor(
    readonly kind: 'equal' | 'prefix' | 'suffix' | 'var' | 'none',
    text: string,
    readonly matchVar: ReadAccess | null,
    readonly caseSensitive: boolean,
    readonly negate: boolean,
    readonly length: readonly CompiledComparison[],
  ) {
    this.text = caseSensitive ? text : text.toLowerCase();
  }

  test(session: Session, input: string): boolean {
    return this.matches(session, input) !== this.negate;
  }

  private matches(session: Session, input: string): boolean {
    if (this.length.length > 0 && !compare(input.length, this.length, session)) return false;
    if (this.kind === 'none') return true;
    let expected = this.text;
    if (this.kind === 'var') {
      expected = valueToString(this.matchVar!.getObject(session));
      if (!this.caseSensitive) expected = expected.toLowerCase();
    }
    const text = this.caseSensitive ? input : input.toLowerCase();
    switch (this.kind) {
      case 'prefix': return text.startsWith(expected);
      case 'suffix': return text.endsWith(expected);
      default: return text === expected;
    }
  }
}

class StringConditionImpl implements SessionCondition {
  constructor(readonly access: ReadAccess, readonly isSet: boolean, readonly match: TextMatch) {}

  test(session: Session): boolean {
    if (!this.access.isSet(session)) return !this.isSet;
    if (!this.isSet) return false;
    return this.match.test(session, valueToString(this.access.getObject(session)));
  }
}

class BoolConditionImpl implements SessionCondition {
  constructor(readonly access: ReadAccess, readonly expected: boolean) {}

  test(session: Session): boolean {
    if (!this.access.isSet(session)) return false;
    const raw = this.access.getObject(session);
    let value: boolean;
    if (typeof raw === 'boolean') value = raw;
    else if (typeof raw === 'number') value = raw !== 0;
    else value = valueToString(raw).trim().toLowerCase() === 'true';
    return value === this.expected;
  }
}

class AllConditionsImpl implements SessionCondition {
  constructor(readonly conditions: readonly SessionCondition[]) {}

  test(session: Session): boolean {
    for (let i = 0; i < this.conditions.length; i++) if (!this.conditions[i]!.test(session)) return false;
    return true;
  }
}

/** A string match; `forceCaseInsensitive` for header names (HTTP header names ignore case). */
export function compileTextMatch(match: StringMatch, cx: CompileContext, forceCaseInsensitive = false): TextMatch {
  const content = match.content;
  const caseSensitive = forceCaseInsensitive ? false : match.caseSensitive;
  const length = compileComparisons(match.length, cx);
  if (content === undefined) return new TextMatchImpl('none', '', null, caseSensitive, match.negate, length);
  if (content.kind === 'var') return new TextMatchImpl('var', '', cx.readVar(content.var), caseSensitive, match.negate, length);
  return new TextMatchImpl(content.kind, content.text, null, caseSensitive, match.negate, length);
}

export function compileCondition(condition: Condition, cx: CompileContext): SessionCondition {
  switch (condition.kind) {
    case 'int': return compileInt(condition, cx);
    case 'string': return compileString(condition, cx);
    case 'bool': return compileBool(condition, cx);
    case 'all': return new AllConditionsImpl(condition.conditions.map((c) => compileCondition(c, cx)));
    default: {
      const never: never = condition;
      return cx.error(`unknown condition ${JSON.stringify(never)}`);
    }
  }
}

function compileInt(condition: IntCondition, cx: CompileContext): SessionCondition {
  return new IntConditionImpl(cx.readVar(condition.fromVar), condition.isSet, compileComparisons(condition.comparisons, cx));
}

function compileString(condition: StringCondition, cx: CompileContext): SessionCondition {
  return new StringConditionImpl(cx.readVar(condition.fromVar), condition.isSet, compileTextMatch(condition, cx));
}

function compileBool(condition: BoolCondition, cx: CompileContext): SessionCondition {
  return new BoolConditionImpl(cx.readVar(condition.fromVar), condition.value);
}
