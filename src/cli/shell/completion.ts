/**
 * Tab completion: command names first, then per command its options, benchmark names and run ids (asked from the
 * controller, briefly), local file paths, or fixed words.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Completion } from './command.js';
import type { ShellContext } from './context.js';
import { COMMAND_NAMES, lookupCommand } from './registry.js';

/** How long completion waits for the controller before offering nothing. */
const REMOTE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), REMOTE_TIMEOUT_MS);
    promise.then((value) => resolve(value), () => resolve(fallback)).finally(() => clearTimeout(timer));
  });
}

async function remoteNames(cx: ShellContext, kind: 'benchmark' | 'run'): Promise<string[]> {
  const client = cx.client;
  if (!client) return [];
  if (kind === 'run') return withTimeout(client.runs().then((runs) => runs.map((r) => r.id)), []);
  return withTimeout(Promise.all([client.benchmarks(), client.templates()]).then(([a, b]) => [...a, ...b]), []);
}

/** Paths that start with `prefix`; directories end with `/`. */
export function filePaths(prefix: string): string[] {
  const expanded = prefix.startsWith('~/') ? join(homedir(), prefix.slice(2)) : prefix;
  const slash = expanded.lastIndexOf('/');
  const dir = slash < 0 ? '.' : slash === 0 ? '/' : expanded.slice(0, slash);
  const start = slash < 0 ? expanded : expanded.slice(slash + 1);
  const shownDir = slash < 0 ? '' : prefix.slice(0, prefix.lastIndexOf('/') + 1);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((name) => name.startsWith(start) && (start.startsWith('.') || !name.startsWith('.')))
    .sort()
    .map((name) => {
      let directory = false;
      try {
        directory = statSync(join(dir, name)).isDirectory();
      } catch {
        // a dangling link completes as a file
      }
      return `${shownDir}${name}${directory ? '/' : ''}`;
    });
}

/**
 * `[matches, word]` as node:readline expects: the matches replace `word`, the text before the cursor's last word.
 * Answered synchronously when nothing has to be asked from the controller, so that a quick double Tab is seen as one.
 */
export function complete(cx: ShellContext, line: string): [string[], string] | Promise<[string[], string]> {
  const words = line.split(/\s+/);
  if (words[0] === '') words.shift();
  const word = words.at(-1) ?? '';
  if (words.length <= 1) return finish(COMMAND_NAMES.filter((n) => n.startsWith(word)));
  const command = lookupCommand(words[0]!);
  if (!command) return [[], word];
  if (word.startsWith('-')) {
    const flags = command.flags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
    return finish(flags.filter((f) => f.startsWith(word)));
  }
  // Which positional argument is being typed: skip options and the values of options that take one.
  let position = 0;
  for (let i = 1; i < words.length - 1; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      const spec = command.flags.find((f) => w === `--${f.name}` || w === `-${f.short}`);
      if (spec?.value) i++;
      continue;
    }
    position++;
  }
  const kind: Completion | undefined = command.complete?.[position];
  if (kind === undefined) return [[], word];
  if (Array.isArray(kind)) return finish((kind as readonly string[]).filter((c) => c.startsWith(word)));
  if (kind === 'command') return finish(COMMAND_NAMES.filter((c) => c.startsWith(word)));
  if (kind === 'file') return finish(filePaths(word));
  return remoteNames(cx, kind as 'benchmark' | 'run').then((names) => finish(names.filter((c) => c.startsWith(word))));

  /** A single match gets a space after it (not a directory, whose contents come next). */
  function finish(matches: string[]): [string[], string] {
    if (matches.length === 1 && !matches[0]!.endsWith('/')) return [[`${matches[0]} `], word];
    return [matches, word];
  }
}
