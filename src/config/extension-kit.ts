/**
 * The decoder building blocks an extension uses to declare the YAML forms of its components: the very ones the
 * built-in steps are made of, so `validate` reports an extension's mistakes with positions and did-you-mean and
 * `schema` describes its properties. Handed to extensions through the extension API (src/extensions/api.ts).
 */
import {
  bool, byKind, INVALID, int, isInvalid, list, listOrSingle, map, nonEmptyStr, num, object, oneOf, optional, parsed, required, str,
} from './codec.js';
import { fail, forms, inline, ok } from './forms.js';
import { actionList, processorList, stepList } from './steps/index.js';
import { durationMs } from './time-values.js';
import { parseVarRef, varRef } from './var-ref.js';

export const codecKit = {
  INVALID, isInvalid,
  str, nonEmptyStr, int, num, bool, oneOf, parsed, durationMs, varRef, parseVarRef,
  object, required, optional, map, byKind, list, listOrSingle,
  forms, inline, ok, fail,
  /** Nested components, e.g. a `then:` list of actions. */
  stepList, actionList, processorList,
} as const;
