/**
 * The REST path parameters and how each is checked. The router binds every `{param}` through this table before a
 * handler runs, so a value that could lead out of a directory (`..`, an encoded `/`, a NUL, an overlong name)
 * is answered 400/404 here and never reaches the file system. A route with a parameter missing from this table
 * is refused when the router is built.
 */
import { isRunId } from '../run-ids.js';
import { checkedName } from '../names.js';
import { HttpError } from './http-error.js';

export type ParamChecker = (value: string) => string;

function runId(value: string): string {
  if (value === 'last' || isRunId(value)) return value;
  throw new HttpError(404, `Run \`${value.slice(0, 40).replace(/[\u0000-\u001f\u007f]/g, '?')}\` not found: run ids are 4 upper-case hexadecimal digits (e.g. 000A) or \`last\``);
}

export const PATH_PARAMS: Readonly<Record<string, ParamChecker>> = {
  runId,
  name: (value) => checkedName('benchmark', value),
  agent: (value) => checkedName('agent', value),
};
