/**
 * Names that come from outside and end up in a file path (a benchmark name, an agent name): one plain path
 * segment, so that nothing built from them can leave its directory. The REST router binds its path parameters
 * through this, and the benchmark store checks the names it writes under.
 */
import { HyperfoilError } from '../lib/index.js';

const MAX_NAME_BYTES = 200;

export type NameKind = 'benchmark' | 'agent';

/** Returns `value` when it is a usable name of that kind; throws `INVALID_NAME` with the reason otherwise. */
export function checkedName(kind: NameKind, value: string): string {
  const reason = value === '' ? 'it is empty'
    : /[/\\]/.test(value) ? 'it contains a path separator'
    : value.includes('..') ? 'it contains `..`'
    : /[\u0000-\u001f\u007f]/.test(value) ? 'it contains a control character'
    : value.startsWith('.') ? 'it starts with `.`'
    : value.trim() !== value ? 'it starts or ends with white space'
    : Buffer.byteLength(value) > MAX_NAME_BYTES ? `it is longer than ${MAX_NAME_BYTES} bytes`
    : undefined;
  if (reason !== undefined) {
    const shown = value.slice(0, 80).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    throw new HyperfoilError('INVALID_NAME',
      `invalid ${kind} name \`${shown}\`: ${reason}; use letters, digits, \`-\`, \`_\` and \`.\` (not \`..\`)`);
  }
  return value;
}
