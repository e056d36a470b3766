/**
 * Run hooks: shell commands the controller runs before the first phase (`pre`) and after the run is stored
 * (`post`). The benchmark's own hooks and the executables in `<root>/hooks/{pre,post}/` run together, sorted by
 * name, with `sh -c`, and with RUN_ID, RUN_DIR, RUN_DESCRIPTION, BENCHMARK and BENCHMARK_PATH in their environment.
 * Their standard output is kept (`hooks.json`). A failing pre hook fails the run; a failing post hook stops the
 * remaining post hooks.
 *
 * A benchmark's own hooks are shell commands written by whoever uploaded it, so a controller runs them only when its
 * operator allowed it (`--allow-hooks`); otherwise such a benchmark is refused at upload and at start. The
 * directory hooks are the operator's own files and always run.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, HookDef } from '../config/index.js';
import { HyperfoilError } from '../lib/index.js';

export interface HookResult {
  readonly name: string;
  readonly output: string;
}

export interface HookEnvironment {
  readonly RUN_ID: string;
  readonly RUN_DIR: string;
  readonly RUN_DESCRIPTION: string;
  readonly BENCHMARK: string;
  readonly BENCHMARK_PATH: string;
}

/** A hook that runs longer than this is stopped and counts as failed. */
const HOOK_TIMEOUT_MS = 10 * 60_000;
/** Output kept per hook. */
const MAX_OUTPUT_BYTES = 1 << 20;

/** The option that lets a controller run benchmarks' own hooks; named in the refusal. */
export const ALLOW_HOOKS_FLAG = '--allow-hooks';

/** Throws `HOOKS_REFUSED` when the benchmark has `pre:`/`post:` hooks and they are not allowed. */
export function checkBenchmarkHooks(benchmark: Pick<Benchmark, 'name' | 'pre' | 'post'>, allowed: boolean): void {
  if (allowed) return;
  const names = [...benchmark.pre, ...benchmark.post].map((hook) => hook.name);
  if (names.length === 0) return;
  throw new HyperfoilError('HOOKS_REFUSED',
    `benchmark \`${benchmark.name}\` has pre/post hooks (${names.map((n) => `\`${n}\``).join(', ')}), shell commands this controller `
    + `does not run for uploaded benchmarks: remove them, or start the controller with ${ALLOW_HOOKS_FLAG} if you trust every uploader`);
}

/** The executables of `<root>/hooks/<kind>/`, as hooks named after their files. */
export function hookDirectoryHooks(rootDir: string, kind: 'pre' | 'post'): HookDef[] {
  const dir = join(rootDir, 'hooks', kind);
  try {
    return readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => ({ name, command: `'${join(dir, name).replace(/'/g, "'\\''")}'` }));
  } catch {
    return [];
  }
}

function runOne(hook: HookDef, env: HookEnvironment): Promise<{ code: number | null; output: string; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', hook.command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => { if (output.length < MAX_OUTPUT_BYTES) output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { if (errors.length < MAX_OUTPUT_BYTES) errors += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), HOOK_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output, error: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ...(code !== 0 ? { error: errors.trim().split('\n').at(-1) ?? '' } : {}) });
    });
  });
}

/**
 * Runs the hooks in name order. Stops at the first failure and throws a `HOOK_FAILED` error naming it; the
 * results of the hooks that ran are in `results` (also on failure, through the error's `results`).
 */
export async function runHooks(hooks: readonly HookDef[], env: HookEnvironment, results: HookResult[]): Promise<void> {
  const ordered = [...hooks].sort((a, b) => a.name.localeCompare(b.name));
  for (const hook of ordered) {
    const outcome = await runOne(hook, env);
    results.push({ name: hook.name, output: outcome.output });
    if (outcome.code !== 0) {
      const why = outcome.code === null ? `could not run (${outcome.error ?? 'killed'})` : `exited with ${outcome.code}${outcome.error ? `: ${outcome.error}` : ''}`;
      throw new HyperfoilError('HOOK_FAILED', `hook \`${hook.name}\` ${why}`);
    }
  }
}
