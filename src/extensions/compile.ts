/**
 * Compiles an extension's source (TypeScript or JavaScript, with its relative imports and npm dependencies) into
 * one self-contained ES module with esbuild, so that it loads without a build step of the user's and ships to agent
 * hosts as a single checksummed file. The output is content-addressed (`<cacheDir>/<sha256>.mjs`) and carries an
 * inline source map, so errors thrown while it loads point at the user's file and line.
 *
 * esbuild is a runtime dependency for this (it was only used to build the agent bundle): a user's `.ts`
 * extension is compiled on the machine that runs `hyperfoil`. It is imported only when an extension is compiled.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../lib/index.js';
import { ExtensionError } from './errors.js';

/** Where compiled extensions are kept unless told otherwise. */
export const DEFAULT_EXTENSION_CACHE = join(tmpdir(), 'hyperfoil-extensions');

export interface CompiledExtension {
  /** The compiled module. */
  readonly file: string;
  readonly sha256: string;
}

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly file: string; readonly line: number; readonly column: number } | null;
}

function describeBuildFailure(entry: string, error: unknown): string {
  const messages = (error as { errors?: readonly EsbuildMessage[] }).errors ?? [];
  if (messages.length === 0) return `${entry}: extension failed to compile: ${(error as Error).message}`;
  return messages.map((m) => {
    // esbuild names files relative to its working directory, the entry's folder
    const at = m.location ? `${resolve(dirname(entry), m.location.file)}:${m.location.line}:${m.location.column + 1}` : entry;
    return `${at}: ${m.text}`;
  }).join('\n');
}

export async function compileExtension(entry: string, cacheDir: string = DEFAULT_EXTENSION_CACHE): Promise<CompiledExtension> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new ExtensionError(`extension ${entry}: esbuild is not installed, so it cannot be compiled: run \`npm install\` in the hyperfoil directory`, { cause: error });
  }
  const outfile = join(cacheDir, 'extension.mjs');
  let text: string;
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: dirname(entry),
      outfile,
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      // Types only: the API reaches the extension as the argument of its default export.
      external: ['hyperfoil-ts', 'hyperfoil-ts/*'],
      logLevel: 'silent',
    });
    text = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text ?? '';
  } catch (error) {
    throw new ExtensionError(describeBuildFailure(entry, error), { cause: error });
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  const file = join(cacheDir, `${sha256}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(file, text);
  }
  return { file, sha256 };
}
