/** `--extension PATH|PACKAGE` (repeatable), shared by `run`, `validate`, `schema`, `standalone` and `controller`. */
import { prepareExtensions } from '../../extensions/index.js';
import type { LoadedExtension } from '../../extensions/index.js';
import type { FlagSpec, ParsedArgs } from '../args.js';

export const EXTENSION_FLAG: FlagSpec = {
  name: 'extension', short: 'x', value: 'PATH|PACKAGE', repeatable: true,
  description: 'load custom steps, actions and processors from a .ts/.js file, a folder or an npm package (repeatable)',
};

/** Compiles and loads `--extension`s, after those in `<rootDir>/extensions/` when a root dir is given. */
export function extensionsOf(args: ParsedArgs, rootDir?: string): Promise<LoadedExtension[]> {
  return prepareExtensions({ specs: args.flags.get('extension') ?? [], ...(rootDir !== undefined ? { rootDir } : {}) });
}
