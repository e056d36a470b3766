/**
 * The one way every command gets its extensions (`run`, `validate`, `schema`, `standalone`, `controller`, and
 * `agent` started by hand): resolve each source, compile it, load it into this thread's registries.
 */
import { compileExtension, DEFAULT_EXTENSION_CACHE } from './compile.js';
import { loadCompiledExtension } from './load.js';
import type { LoadedExtension } from './load.js';
import { resolveExtensionEntry, rootDirExtensions } from './resolve.js';

export interface ExtensionSources {
  /** `--extension` values, in order. */
  readonly specs?: readonly string[];
  /** Adds every extension in `<rootDir>/extensions/`. */
  readonly rootDir?: string;
  readonly cacheDir?: string;
}

/** A compiled module (`.mjs` produced by compile.ts, as deployers ship them) is loaded as it is. */
const COMPILED = /\/[0-9a-f]{64}\.mjs$/;

export async function prepareExtensions(sources: ExtensionSources): Promise<LoadedExtension[]> {
  const specs = [...(sources.rootDir !== undefined ? rootDirExtensions(sources.rootDir) : []), ...(sources.specs ?? [])];
  const out: LoadedExtension[] = [];
  for (const spec of specs) {
    const entry = resolveExtensionEntry(spec);
    if (COMPILED.test(entry)) {
      out.push(await loadCompiledExtension(entry, spec));
      continue;
    }
    const compiled = await compileExtension(entry, sources.cacheDir ?? DEFAULT_EXTENSION_CACHE);
    out.push(await loadCompiledExtension(compiled.file, spec));
  }
  return out;
}
