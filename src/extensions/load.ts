/**
 * Loads a compiled extension (one self-contained ES module, see compile.ts) into this thread's registries. The
 * controller, `run`, `validate`, agents and every worker thread load the same compiled file, so all of them know
 * the same components. Loading the same file twice in a thread is a no-op; two different extensions (or two
 * versions of one) with the same name are refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ExtensionRef } from '../protocol/index.js';
import { extensionApi } from './api.js';
import { ExtensionError } from './errors.js';
import { checkDefinition, registerDefinition } from './register.js';
import { sourcePositionOf } from './source-position.js';

/** An extension loaded in this thread: its name, the SHA-256 of its compiled module, and that module's path. */
export interface LoadedExtension extends ExtensionRef {
  readonly file: string;
}

const loaded = new Map<string, LoadedExtension>();

/** The extensions loaded in this thread so far, in load order. */
export function loadedExtensions(): LoadedExtension[] {
  return [...loaded.values()];
}

function reason(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

/** `origin`: what the user named (a source file, folder or package), for messages; defaults to `file`. */
export async function loadCompiledExtension(file: string, origin: string = file): Promise<LoadedExtension> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExtensionError(`extension ${origin}: cannot read ${file}: ${(error as Error).message}`);
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  for (const extension of loaded.values()) if (extension.sha256 === sha256) return extension;
  let definition;
  try {
    const module = await import(pathToFileURL(file).href) as { default?: unknown };
    if (typeof module.default !== 'function') {
      throw new ExtensionError(`${origin}: an extension's default export must be a function \`(api) => ({ name, components })\``);
    }
    definition = checkDefinition(module.default(extensionApi), origin);
  } catch (error) {
    if (error instanceof ExtensionError) throw error;
    const at = sourcePositionOf(error, file, text) ?? origin;
    throw new ExtensionError(`${at}: extension ${origin} failed to load: ${reason(error)}`, { cause: error });
  }
  const same = loaded.get(definition.name);
  if (same) {
    throw new ExtensionError(`${origin}: an extension named ${definition.name} is already loaded from ${same.file}; load one version only`);
  }
  registerDefinition(definition, origin);
  const extension: LoadedExtension = { name: definition.name, sha256, file };
  loaded.set(definition.name, extension);
  return extension;
}

/** Loads compiled extensions in order (worker threads and agents, which receive compiled files only). */
export async function loadCompiledExtensions(files: readonly string[]): Promise<LoadedExtension[]> {
  const out: LoadedExtension[] = [];
  for (const file of files) out.push(await loadCompiledExtension(file));
  return out;
}
