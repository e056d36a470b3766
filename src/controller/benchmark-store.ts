/**
 * Uploaded benchmarks and templates, kept on disk in Hyperfoil's layout so that they survive a restart:
 *
 *     <root>/benchmark/<name>.yaml          the source as uploaded
 *     <root>/benchmark/<name>.data/<file>   its data files
 *
 * A benchmark that uses `!param` is a template: it is stored as source and only rendered (with parameters) when a
 * run starts. Every stored benchmark has a version (a hash of its source and files) that the REST layer sends as
 * ETag and checks against `if-match`.
 *
 * Names are checked before anything touches the disk: a benchmark name is one path segment (no `/`, `\`, `..`, NUL
 * or control characters, not starting with `.`), and a data file name written with directories (`data/users.csv`)
 * is flattened the way Hyperfoil does it (`data_users.csv`), so nothing is ever written outside the store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { validateBenchmark } from '../agent/index.js';
import { parseBenchmark } from '../config/index.js';
import type { Benchmark } from '../config/index.js';
import { BenchmarkError, containedFile, ensureWritableDir, HyperfoilError, storageError, TEMP_FILE_PREFIX, writeFileDurable } from '../lib/index.js';
import type { BenchmarkUpload, StoredBenchmark } from './api.js';
import { checkBenchmarkHooks } from './hooks.js';
import { checkedName } from './names.js';

const MAX_FILE_NAME_BYTES = 255;
const TEMP_PREFIX = TEMP_FILE_PREFIX;

/** Refuses a benchmark name that is not a single, plain path segment. */
export function checkBenchmarkName(name: string): string {
  return checkedName('benchmark', name);
}

/**
 * The name a data file is stored under: directories in the name as written in the benchmark are flattened to `_`
 * (Hyperfoil does the same), so `../users.csv` becomes `.._users.csv`. Empty names, `.`, `..`, NUL and control
 * characters are refused.
 */
export function storedFileName(name: string): string {
  const flat = name.replace(/[/\\]/g, '_');
  const reason = flat === '' ? 'it is empty'
    : flat === '.' || flat === '..' ? 'it is `.` or `..`'
    : /[\u0000-\u001f\u007f]/.test(flat) ? 'it contains a control character'
    : Buffer.byteLength(flat) > MAX_FILE_NAME_BYTES ? `it is longer than ${MAX_FILE_NAME_BYTES} bytes`
    : undefined;
  if (reason !== undefined) {
    throw new HyperfoilError('INVALID_NAME', `invalid data file name \`${name.slice(0, 80)}\`: ${reason}`);
  }
  return flat;
}

/** `"abc"`, `W/"abc"` and `abc` all name version `abc`. */
export function normalizeVersion(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export interface TemplateScan {
  /** Every `!param` name, with its default when it has one. */
  readonly params: ReadonlyMap<string, string | undefined>;
  /** The top-level `name`, when it is a plain value or a `!param` with a default. */
  readonly name?: string;
  /** The YAML does not even parse (parseBenchmark tells what is wrong). */
  readonly syntaxError: boolean;
}

/** Finds the `!param`s of a benchmark without rendering it (a template cannot be rendered without its parameters). */
export function scanTemplate(text: string): TemplateScan {
  // The same YAML options as the benchmark reader, so that a template with a YAML error is refused at upload.
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true, strict: true, prettyErrors: false });
  if (doc.errors.length > 0) return { params: new Map(), syntaxError: true };
  const params = new Map<string, string | undefined>();
  const paramOf = (value: unknown): { name: string; defaultValue?: string } | undefined => {
    const match = /^\s*(\S+)(?:\s+([\s\S]*?))?\s*$/.exec(String(value ?? ''));
    if (!match) return undefined;
    let defaultValue = match[2];
    if (defaultValue !== undefined && /^(["']).*\1$/s.test(defaultValue)) defaultValue = defaultValue.slice(1, -1);
    return defaultValue === undefined ? { name: match[1]! } : { name: match[1]!, defaultValue };
  };
  visit(doc, {
    Scalar(_key, node) {
      if (node.tag !== '!param') return;
      const param = paramOf(node.value);
      if (param && (!params.has(param.name) || params.get(param.name) === undefined)) params.set(param.name, param.defaultValue);
    },
  });
  let name: string | undefined;
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === 'name');
    const value = pair?.value;
    if (isScalar(value)) {
      if (!value.tag) name = String(value.value ?? '');
      else if (value.tag === '!param') name = paramOf(value.value)?.defaultValue;
    }
  }
  return { params, syntaxError: false, ...(name !== undefined ? { name } : {}) };
}

function versionOf(text: string, files: ReadonlyMap<string, Buffer>): string {
  const hash = createHash('sha256').update('hyperfoil-benchmark\0').update(text);
  for (const name of [...files.keys()].sort()) {
    const data = files.get(name)!;
    hash.update(`\0${name}\0${data.length}\0`).update(data);
  }
  return hash.digest('hex').slice(0, 32);
}

export interface PutOptions {
  /** Shown in problem messages (the uploaded file's name); default `benchmark.yaml`. */
  readonly fileName?: string;
  /** Data files the upload does not include are taken from this stored benchmark (Hyperfoil's edit/rename flow). */
  readonly storedFilesBenchmark?: string;
}

/** Parses with data files taken only from `lookup`: a file it does not have is reported, never read from disk. */
function parseWithFiles(
  text: string, fileName: string, params: Readonly<Record<string, string>>,
  lookup: (stored: string) => Buffer | undefined,
): Benchmark {
  const missing = new Set<string>();
  const source = (name: string): Buffer | undefined => {
    let stored: string;
    try {
      stored = storedFileName(name);
    } catch (error) {
      missing.add(`${name} (${(error as Error).message})`);
      return Buffer.alloc(0);
    }
    const found = lookup(stored);
    if (found) return found;
    missing.add(name);
    return Buffer.alloc(0); // an empty buffer, so that the parser does not go looking on the controller's disk
  };
  let benchmark: Benchmark | undefined;
  let invalid: BenchmarkError | undefined;
  try {
    benchmark = parseBenchmark(text, { fileName, params, files: source });
  } catch (error) {
    if (!(error instanceof BenchmarkError)) throw error;
    invalid = error;
  }
  if (missing.size > 0) {
    const list = [...missing].map((name) => `\`${name}\``).join(', ');
    throw new HyperfoilError('INVALID_BENCHMARK',
      `${fileName}: the benchmark uses data files that were not uploaded with it: ${list}. ` +
      'Upload them as multipart `file` parts named by the file name as written in the benchmark.' +
      (invalid ? `\n${invalid.message}` : ''));
  }
  if (invalid) throw invalid;
  return benchmark!;
}

export class BenchmarkStore {
  /** `<root>/benchmark`. */
  readonly dir: string;
  /** Files found at start that could not be loaded, with the reason. */
  readonly loadProblems: string[] = [];
  private readonly entries = new Map<string, StoredBenchmark>();

  /**
   * Opens (and creates) the store under `rootDir`, loading every benchmark already there. With `allowHooks`,
   * benchmarks may have `pre:`/`post:` shell hooks; without it they are refused (hooks.ts).
   */
  constructor(rootDir: string, private readonly options: { readonly allowHooks?: boolean } = {}) {
    this.dir = join(rootDir, 'benchmark');
    try {
      ensureWritableDir(this.dir);
    } catch (error) {
      throw storageError('store benchmarks', this.dir, error);
    }
    this.load();
  }

  /** Names of the stored benchmarks that are not templates, sorted. */
  benchmarkNames(): string[] {
    return [...this.entries.values()].filter((b) => !b.isTemplate).map((b) => b.name).sort();
  }

  templateNames(): string[] {
    return [...this.entries.values()].filter((b) => b.isTemplate).map((b) => b.name).sort();
  }

  /** A benchmark or a template. */
  get(name: string): StoredBenchmark | undefined {
    return this.entries.get(name);
  }

  /**
   * Validates and stores an upload, replacing a benchmark of the same name. A template is checked for YAML syntax
   * and a usable name only; anything else must parse completely, with every data file it names uploaded.
   * Throws `BenchmarkError`/`INVALID_BENCHMARK`, `INVALID_NAME`, or `VERSION_CONFLICT` when `ifMatch` is stale.
   */
  put(upload: BenchmarkUpload, options: PutOptions = {}): StoredBenchmark {
    const fileName = options.fileName ?? 'benchmark.yaml';
    const uploaded = new Map<string, Buffer>();
    for (const [name, data] of upload.files) uploaded.set(storedFileName(name), data);
    const fallback = options.storedFilesBenchmark === undefined ? undefined : this.entries.get(options.storedFilesBenchmark)?.files;

    const scan = scanTemplate(upload.text);
    const isTemplate = !scan.syntaxError && scan.params.size > 0;
    let name: string;
    const files = new Map(uploaded);
    if (isTemplate) {
      if (scan.name === undefined) {
        throw new HyperfoilError('INVALID_BENCHMARK',
          `${fileName}: a template needs a \`name:\` that is a plain value or a \`!param\` with a default`);
      }
      name = scan.name;
      for (const [file, data] of fallback ?? []) if (!files.has(file)) files.set(file, data);
    } else {
      const benchmark = this.accepted(parseWithFiles(upload.text, fileName, {}, (file) => uploaded.get(file) ?? fallback?.get(file)));
      name = benchmark.name;
      for (const file of benchmark.files.keys()) {
        const stored = storedFileName(file);
        const data = fallback?.get(stored);
        if (!files.has(stored) && data) files.set(stored, data);
      }
    }
    checkBenchmarkName(name);

    const existing = this.entries.get(name);
    if (upload.ifMatch !== undefined && existing && normalizeVersion(upload.ifMatch) !== existing.version) {
      throw new HyperfoilError('VERSION_CONFLICT',
        `benchmark \`${name}\` was changed since version ${normalizeVersion(upload.ifMatch)} was read ` +
        `(it is now ${existing.version}): fetch it again and re-apply your edit`);
    }
    const stored: StoredBenchmark = { name, text: upload.text, version: versionOf(upload.text, files), files, isTemplate };
    this.write(stored);
    this.entries.set(name, stored);
    return stored;
  }

  /** Removes a benchmark or template and its files; false when there is none of that name. */
  delete(name: string): boolean {
    if (!this.entries.has(name)) return false;
    checkBenchmarkName(name);
    rmSync(join(this.dir, `${name}.yaml`), { force: true });
    rmSync(join(this.dir, `${name}.data`), { recursive: true, force: true });
    this.entries.delete(name);
    return true;
  }

  /**
   * Renders a stored benchmark or template into a `Benchmark` with the given template parameters. Its data files
   * come from the store only, never from the controller's disk.
   */
  render(stored: StoredBenchmark, params: Readonly<Record<string, string>> = {}): Benchmark {
    return this.accepted(parseWithFiles(stored.text, `${stored.name}.yaml`, params, (file) => stored.files.get(file)));
  }

  /** What `hyperfoil validate` checks, then whether its hooks may run here. */
  private accepted(benchmark: Benchmark): Benchmark {
    validateBenchmark(benchmark);
    checkBenchmarkHooks(benchmark, this.options.allowHooks === true);
    return benchmark;
  }

  /**
   * The YAML goes in with a rename, so a crash leaves the old or the new file, never half of one; every file is
   * flushed to the disk first. A failure (a full disk) leaves the stored benchmark as it was.
   */
  private write(stored: StoredBenchmark): void {
    const yamlPath = join(this.dir, `${stored.name}.yaml`);
    const dataPath = join(this.dir, `${stored.name}.data`);
    const tag = `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`;
    const oldData = join(this.dir, `${tag}.old`);
    const tempYaml = join(this.dir, `${tag}.yaml`);
    let newData: string | undefined;
    try {
      if (stored.files.size > 0) {
        newData = join(this.dir, `${tag}.data`);
        mkdirSync(newData);
        for (const [file, data] of stored.files) writeFileDurable(join(newData, file), data);
      }
      writeFileDurable(tempYaml, stored.text);
    } catch (error) {
      rmSync(tempYaml, { force: true });
      if (newData) rmSync(newData, { recursive: true, force: true });
      throw storageError(`store benchmark ${stored.name}`, this.dir, error);
    }
    try {
      renameSync(dataPath, oldData);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (newData) renameSync(newData, dataPath);
    renameSync(tempYaml, yamlPath);
    rmSync(oldData, { recursive: true, force: true });
  }

  private load(): void {
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      if (entry.name.startsWith(TEMP_PREFIX)) {
        rmSync(join(this.dir, entry.name), { recursive: true, force: true }); // left by a crash while writing
        continue;
      }
      if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
      const name = entry.name.slice(0, -'.yaml'.length);
      try {
        checkBenchmarkName(name);
        const text = readFileSync(join(this.dir, entry.name), 'utf8');
        const files = new Map<string, Buffer>();
        const dataDir = join(this.dir, `${name}.data`);
        let dataEntries: string[] = [];
        try {
          dataEntries = readdirSync(dataDir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        for (const file of dataEntries) {
          let path: string;
          try {
            path = containedFile(dataDir, file, `${name}'s data directory`);
          } catch {
            continue; // a directory, or a link leading out of the store: never served as a data file
          }
          files.set(file, readFileSync(path));
        }
        const scan = scanTemplate(text);
        this.entries.set(name, {
          name, text, files, version: versionOf(text, files), isTemplate: !scan.syntaxError && scan.params.size > 0,
        });
      } catch (error) {
        this.loadProblems.push(`${join(this.dir, entry.name)}: ${(error as Error).message}`);
      }
    }
  }
}
