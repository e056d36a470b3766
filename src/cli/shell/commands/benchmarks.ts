/** Commands about benchmarks: `upload`, `info`, `inspect`, `forget`, `new`. (`edit` has its own file.) */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { loadBenchmarkFile } from '../../../config/index.js';
import type { Benchmark } from '../../../config/index.js';
import { scanTemplate } from '../../../controller/index.js';
import { BenchmarkError, formatProblem } from '../../../lib/index.js';
import { flag } from '../../args.js';
import { ControllerError } from '../client.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';
import { paramFlags, resolveParams } from '../params.js';
import { renderTemplate, TEMPLATE_NAMES } from '../templates.js';
import { editBenchmark } from './edit.js';
import { benchmarkFailure, known } from './common.js';

function readExtraFiles(list: readonly string[] | undefined): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of (list ?? []).flatMap((l) => l.split(',')).map((n) => n.trim()).filter((n) => n !== '')) {
    try {
      files.set(name, readFileSync(name));
    } catch (error) {
      throw new ShellError(`cannot read the extra file ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'usage');
    }
  }
  return files;
}

function loadLocally(path: string): Benchmark {
  try {
    return loadBenchmarkFile(path);
  } catch (error) {
    if (error instanceof BenchmarkError) throw new ShellError(error.message, 'benchmark', { cause: error });
    throw error;
  }
}

export const uploadCommand: ShellCommand = {
  name: 'upload',
  summary: 'check a benchmark file here, then upload it with the data files it names',
  synopsis: 'FILE [-f FILE,FILE...]',
  complete: ['file'],
  flags: [
    { name: 'extra-files', short: 'f', value: 'FILES', repeatable: true, description: 'more data files to upload (comma-separated), e.g. for a template' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const [path, ...extra] = args.positional;
    if (path === undefined || extra.length > 0) throw new ShellError('upload takes one benchmark file', 'usage');
    const client = await cx.ensureClient();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ShellError(`${path}: cannot read the benchmark: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`, 'usage');
    }
    const files = readExtraFiles(args.flags.get('extra-files'));
    const scan = scanTemplate(text);
    let name: string;
    if (scan.params.size > 0 && !scan.syntaxError) {
      // A template: it can only be checked completely once its parameters are known, at `run`.
      name = scan.name ?? basename(path);
      const needed = [...scan.params].filter(([, value]) => value === undefined).map(([param]) => param);
      if (needed.length === 0) for (const [file, data] of loadLocally(path).files) if (!files.has(file)) files.set(file, data);
      cx.terminal.info(`Loaded template ${name} (parameters: ${[...scan.params.keys()].join(', ')}), uploading...`);
    } else {
      const benchmark = loadLocally(path);
      for (const warning of benchmark.warnings) cx.terminal.warn(`warning: ${formatProblem(warning)}`);
      for (const [file, data] of benchmark.files) if (!files.has(file)) files.set(file, data);
      name = benchmark.name;
      cx.terminal.info(`Loaded benchmark ${name}, uploading...`);
    }
    let stored;
    try {
      stored = await client.upload(text, files, { fileName: basename(path) });
    } catch (error) {
      benchmarkFailure(error, `the controller refused ${path}`);
    }
    cx.lastBenchmark = stored.name || name;
    cx.terminal.info(`... done.${files.size > 0 ? ` (with ${files.size} data file${files.size === 1 ? '' : 's'}: ${[...files.keys()].join(', ')})` : ''}`);
  },
};

export const loadCommand: ShellCommand = {
  name: 'load',
  summary: 'have the controller read a benchmark (and its data files) from its own load directory (--load-dir)',
  synopsis: 'PATH | file:URI',
  flags: [HELP_FLAG],
  async run(cx, args) {
    const [uri, ...extra] = args.positional;
    if (uri === undefined || extra.length > 0) throw new ShellError('load takes one path (relative to the controller\'s load directory) or file: URI', 'usage');
    const client = await cx.ensureClient();
    let stored;
    try {
      stored = await client.loadOnController(uri);
    } catch (error) {
      benchmarkFailure(error, `the controller could not load ${uri}`);
    }
    cx.lastBenchmark = stored.name;
    cx.terminal.info(`Loaded benchmark ${stored.name} from the controller's load directory.`);
  },
};

async function sourceOf(cx: ShellContext, name: string): Promise<string> {
  const client = await cx.ensureClient();
  const source = await client.benchmarkSource(name, cx.signal);
  if (!source) throw new ShellError(`there is no benchmark \`${name}\` on ${client.url}${await known(cx)}`);
  return source.text;
}

export const infoCommand: ShellCommand = {
  name: 'info',
  summary: 'print the source of a benchmark (the last one by default), or of the benchmark a run used',
  synopsis: '[BENCHMARK] [-r RUN_ID]',
  complete: ['benchmark'],
  flags: [{ name: 'run', short: 'r', value: 'RUN_ID', description: 'the benchmark exactly as that run used it' }, HELP_FLAG],
  async run(cx, args) {
    const runId = flag(args, 'run');
    if (runId !== undefined) {
      const client = await cx.ensureClient();
      const run = await cx.fetchRun(runId);
      try {
        cx.terminal.info((await client.runBenchmark(run.id)).body.toString('utf8').trimEnd());
      } catch (error) {
        benchmarkFailure(error, `run ${run.id}`);
      }
      return;
    }
    const name = cx.benchmarkName(args.positional[0]);
    cx.terminal.info((await sourceOf(cx, name)).trimEnd());
    cx.lastBenchmark = name;
  },
};

export const inspectCommand: ShellCommand = {
  name: 'inspect',
  summary: 'print the benchmark as the controller built it (phases, scenarios, defaults filled in)',
  synopsis: '[BENCHMARK] [-m N] [-P NAME=VALUE...]',
  complete: ['benchmark'],
  flags: [
    { name: 'max-collection-size', short: 'm', value: 'N', description: 'show at most N items of a list (default 20)' },
    ...paramFlags,
    HELP_FLAG,
  ],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const name = cx.benchmarkName(args.positional[0]);
    const max = Number(flag(args, 'max-collection-size') ?? 20);
    if (!Number.isInteger(max) || max < 0) throw new ShellError('--max-collection-size must be a whole number', 'usage');
    const params = resolveParams(cx.params, args);
    let structure;
    try {
      structure = await client.structure(name, params, max);
    } catch (error) {
      if (error instanceof ControllerError && error.status === 404) throw new ShellError(`there is no benchmark \`${name}\` on ${client.url}${await known(cx)}`);
      benchmarkFailure(error, `cannot build ${name}`);
    }
    cx.lastBenchmark = name;
    if (structure.content === null || structure.content === undefined) {
      const missing = Object.entries(structure.params).map(([param, value]) => `${param}${value === null ? '' : ` (default ${value})`}`);
      throw new ShellError(`${name} is a template: give its parameters with -P NAME=VALUE (${missing.join(', ')})`, 'usage');
    }
    cx.terminal.info(stringify(structure.content).trimEnd());
  },
};

export const forgetCommand: ShellCommand = {
  name: 'forget',
  summary: 'delete a benchmark from the controller (its runs stay)',
  synopsis: '[BENCHMARK]',
  complete: ['benchmark'],
  flags: [HELP_FLAG],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const name = cx.benchmarkName(args.positional[0]);
    if (!await client.forget(name)) throw new ShellError(`there is no benchmark \`${name}\` on ${client.url}${await known(cx)}`);
    if (cx.lastBenchmark === name) cx.lastBenchmark = undefined;
    cx.terminal.info(`Benchmark ${name} was deleted.`);
  },
};

export const newCommand: ShellCommand = {
  name: 'new',
  summary: 'create a benchmark on the controller from a template, then edit it (on a terminal)',
  synopsis: `NAME [-t ${TEMPLATE_NAMES.join('|')}]`,
  flags: [{ name: 'template', short: 't', value: 'TEMPLATE', description: `${TEMPLATE_NAMES.join(', ')} (default: asked, or empty)` }, HELP_FLAG],
  async run(cx, args) {
    const [name, ...extra] = args.positional;
    if (name === undefined || extra.length > 0) throw new ShellError('new takes the name of the benchmark to create', 'usage');
    const client = await cx.ensureClient();
    let template = flag(args, 'template');
    if (template === undefined && cx.terminal.interactive) {
      const answer = await cx.terminal.ask(`Template (${TEMPLATE_NAMES.join(', ')}) [empty]: `);
      if (answer === undefined) throw new ShellError('cancelled; no benchmark created');
      template = answer.trim() || 'empty';
    }
    template ??= 'empty';
    const text = renderTemplate(template, name);
    if (text === undefined) throw new ShellError(`there is no template \`${template}\`: choose ${TEMPLATE_NAMES.join(', ')}`, 'usage');
    if (await client.benchmarkSource(name, cx.signal)) throw new ShellError(`benchmark ${name} already exists: \`edit ${name}\` changes it`);
    try {
      await client.upload(text, new Map(), { fileName: `${name}.hf.yaml` });
    } catch (error) {
      benchmarkFailure(error, `cannot create ${name}`);
    }
    cx.lastBenchmark = name;
    cx.params = {};
    cx.terminal.info(`Created benchmark ${name} from template ${template}.`);
    if (cx.terminal.interactive) await editBenchmark(cx, name, undefined);
    else cx.terminal.info(`\`edit ${name}\` opens it in $EDITOR; \`info ${name}\` prints it.`);
  },
};
