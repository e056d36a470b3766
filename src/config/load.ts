/**
 * YAML text → validated, frozen `Benchmark`. Nothing runs until the whole benchmark is valid; every problem is
 * reported with its file, line and column, several at once, and no input — however broken — throws anything but a
 * `BenchmarkError` or hangs.
 */
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Node as YNode } from 'yaml';
import { BenchmarkError } from '../lib/index.js';
import type { Problem } from '../lib/index.js';
import { benchmarkCodec } from './benchmark.js';
import { INVALID } from './codec.js';
import { SourceContext } from './context.js';
import type { FileSource } from './context.js';
import type { Benchmark } from './model.js';
import { expandTemplates } from './templates.js';

export interface LoadOptions {
  /** Shown in messages; data files are resolved relative to it. */
  readonly fileName: string;
  /** Template parameters (`-P NAME=VALUE`). */
  readonly params?: Readonly<Record<string, string>>;
  /** Data files supplied in memory (an upload), consulted before the disk. */
  readonly files?: FileSource;
}

/** Larger input is refused before parsing. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

function fail(fileName: string, message: string, line = 1, column = 1): never {
  throw new BenchmarkError([{ file: fileName, line, column, message }]);
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'this key appears twice in the same mapping (are you missing a `-` to start a new list item?)',
  MULTIPLE_DOCS: 'the file holds several YAML documents (`---`): a benchmark is one document',
};

export function parseBenchmark(input: string | Buffer, options: LoadOptions): Benchmark {
  const { fileName } = options;
  if (input.length > MAX_SOURCE_BYTES) fail(fileName, `the benchmark is larger than ${MAX_SOURCE_BYTES >> 20} MiB`);
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const nul = text.indexOf('\0');
  if (nul >= 0 || (typeof input !== 'string' && text.includes('\uFFFD'))) {
    fail(fileName, 'this is not a text file: a benchmark is YAML text in UTF-8');
  }
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text)) {
    fail(fileName, 'the benchmark is empty: it needs at least `name:` and what to run (see `hyperfoil schema`)');
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines, schema: 'failsafe', prettyErrors: false, uniqueKeys: true, strict: true,
  });
  const cx = new SourceContext(fileName, doc, lines, options.files);
  for (const error of doc.errors) {
    const { line, col } = lines.linePos(error.pos[0]);
    const friendly = YAML_MESSAGES[error.code];
    const detail = error.message.split('\n')[0] ?? error.message;
    cx.problems.push({ file: fileName, line, column: col, message: `YAML syntax error: ${friendly ?? detail}` });
  }
  if (cx.problems.length > 0) throw new BenchmarkError(sortProblems(cx.problems));

  const templates = expandTemplates(doc, options.params ?? {}, cx);
  if (cx.problems.length > 0) throw new BenchmarkError(sortProblems(cx.problems));

  const root = doc.contents as YNode | null;
  if (!root || !isMap(root)) {
    fail(fileName, 'expected a mapping at the top of the benchmark (`name: …`, `http: …`, `phases: …`)',
      ...(root ? Object.values(cx.at(root)) as [number, number] : [1, 1]));
  }
  const body = benchmarkCodec.decode(root, cx);
  if (body === INVALID || cx.problems.length > 0) {
    throw new BenchmarkError(sortProblems(cx.problems.length > 0 ? cx.problems
      : [{ file: fileName, line: 1, column: 1, message: 'the benchmark is invalid' }]));
  }
  return deepFreeze({
    ...body,
    source: { fileName, text },
    files: cx.files,
    params: { ...(options.params ?? {}) },
    templateParams: [...templates.params].sort(),
    warnings: sortProblems(cx.warnings),
  });
}

/** Reads and parses a benchmark file; a missing or unreadable file is a `BenchmarkError` too. */
export function loadBenchmarkFile(path: string, options: Omit<LoadOptions, 'fileName'> = {}): Benchmark {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file'
      : (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return fail(path, `cannot read the benchmark: ${reason}`);
  }
  return parseBenchmark(content, { ...options, fileName: path });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !Buffer.isBuffer(value) && !(value instanceof Map)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
