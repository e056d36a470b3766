/** `/benchmark…` and `/template`: uploading, reading, deleting, inspecting and starting benchmarks. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchmark } from '../../config/index.js';
import type { Benchmark } from '../../config/index.js';
import { BenchmarkError, containedFile, HyperfoilError } from '../../lib/index.js';
import { encodeMultipart, parseMultipart } from '../../lib/multipart.js';
import type { StartOptions, StoredBenchmark } from '../api.js';
import { checkBenchmarkName, scanTemplate } from '../benchmark-store.js';
import { HttpError } from './http-error.js';
import type { RestContext } from './options.js';
import {
  mediaType, negotiate, queryInteger, readBody, send, sendEmpty, sendJson, templateParams, YAML_TYPE,
} from './respond.js';
import type { Exchange, Route } from './router.js';
import { toStructure } from './structure.js';

const YAML_MEDIA_TYPES = new Set(['text/vnd.yaml', 'application/json', 'text/yaml', 'application/yaml', 'application/x-yaml']);
const JAVA_SERIALIZED = 'application/java-serialized-object';
const MAX_PARTS = 1000;

function isInvalidBenchmark(error: unknown): error is HyperfoilError {
  return error instanceof BenchmarkError || (error instanceof HyperfoilError && error.code === 'INVALID_BENCHMARK');
}

function utf8(body: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, `Cannot read benchmark: ${what} is not UTF-8 text`);
  }
}

function lookup(cx: RestContext, rawName: string | undefined): StoredBenchmark {
  const name = checkBenchmarkName(rawName ?? '');
  const stored = cx.store.get(name);
  if (!stored) throw new HttpError(404, `No benchmark or template \`${name}\``);
  return stored;
}

function etag(stored: StoredBenchmark): string {
  return `"${stored.version}"`;
}

interface Upload {
  readonly text: string;
  readonly files: Map<string, Buffer>;
  readonly fileName?: string;
}

function fromMultipart(body: Buffer, contentType: string | undefined): Upload {
  const parts = parseMultipart(body, contentType, { maxParts: MAX_PARTS });
  const sources = parts.filter((part) => part.name === 'benchmark');
  if (sources.length !== 1) {
    throw new HttpError(400, `Cannot read benchmark: a multipart upload needs exactly one \`benchmark\` part, found ${sources.length}`);
  }
  const source = sources[0]!;
  const files = new Map<string, Buffer>();
  for (const part of parts) {
    if (part === source || part.filename === undefined) continue; // plain form fields are ignored, as Hyperfoil does
    if (files.has(part.filename)) throw new HttpError(400, `Cannot read benchmark: data file \`${part.filename}\` is uploaded twice`);
    files.set(part.filename, part.data);
  }
  const fileName = source.filename?.split(/[/\\]/).pop();
  return { text: utf8(source.data, 'the `benchmark` part'), files, ...(fileName ? { fileName } : {}) };
}

/** `text/uri-list`: a benchmark file on the controller's disk, inside the load directory, with its data files. */
function fromLoadDir(loadDir: string, body: Buffer): Upload {
  const uri = utf8(body, 'the URI list').split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
  if (uri === undefined) throw new HttpError(400, 'Cannot read benchmark: the URI list is empty');
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) {
    if (!uri.toLowerCase().startsWith('file:')) throw new HttpError(400, `Cannot read benchmark: only file: URIs can be loaded, not \`${uri.slice(0, 100)}\``);
    try {
      path = fileURLToPath(uri);
    } catch (error) {
      throw new HttpError(400, `Cannot read benchmark: \`${uri.slice(0, 100)}\` is not a usable file URI (${(error as Error).message})`);
    }
  } else {
    path = resolve(loadDir, uri);
  }
  const inLoadDir = (name: string): string => containedFile(loadDir, name, `the load directory ${loadDir}`);
  let real: string;
  try {
    real = inLoadDir(path);
  } catch (error) {
    if (error instanceof HyperfoilError && error.code === 'NOT_FOUND') throw new HttpError(400, `Cannot read benchmark: ${error.message}`);
    throw error;
  }
  const text = utf8(readFileSync(real), `\`${path}\``);

  const files = new Map<string, Buffer>();
  if (scanTemplate(text).params.size > 0) return { text, files, fileName: real }; // templates name their files only once rendered
  const missing: string[] = [];
  const source = (name: string): Buffer => {
    try {
      return readFileSync(inLoadDir(resolve(dirname(real), name)));
    } catch {
      missing.push(name);
    }
    return Buffer.alloc(0); // keeps the parser from reading anything outside the load directory
  };
  try {
    const benchmark = parseBenchmark(text, { fileName: real, files: source });
    for (const [name, data] of benchmark.files) files.set(name, data);
  } catch (error) {
    if (!(error instanceof BenchmarkError)) throw error;
    if (missing.length === 0) throw error;
  }
  if (missing.length > 0) {
    throw new HttpError(400, `Cannot read benchmark: data files not found inside the load directory: ${missing.join(', ')}`);
  }
  return { text, files, fileName: real };
}

async function addBenchmark(cx: RestContext, { req, res, query }: Exchange): Promise<void> {
  const contentType = req.headers['content-type'];
  const type = mediaType(contentType);
  if (type === JAVA_SERIALIZED) {
    throw new HttpError(406, 'Java-serialized benchmarks are not supported: upload the YAML source as text/vnd.yaml or multipart/form-data');
  }
  if (type === 'text/uri-list' && cx.options.loadDir === undefined) {
    throw new HttpError(503, 'loading benchmarks from the controller\'s disk (text/uri-list) is off: start the controller with a load directory');
  }
  if (!YAML_MEDIA_TYPES.has(type) && type !== 'multipart/form-data' && type !== 'text/uri-list') {
    throw new HttpError(406,
      `unsupported Content-Type \`${contentType ?? '(none)'}\`: send text/vnd.yaml, application/json (read as YAML), multipart/form-data or text/uri-list`);
  }
  const body = await readBody(req, cx.maxUploadBytes);
  const upload = type === 'multipart/form-data' ? fromMultipart(body, contentType)
    : type === 'text/uri-list' ? fromLoadDir(cx.options.loadDir!, body)
    : { text: utf8(body, 'the body'), files: new Map<string, Buffer>() };
  const ifMatch = req.headers['if-match'];
  const storedFilesBenchmark = query.get('storedFilesBenchmark');
  let stored: StoredBenchmark;
  try {
    stored = cx.store.put(
      { text: upload.text, files: upload.files, ...(ifMatch !== undefined ? { ifMatch } : {}) },
      {
        ...(upload.fileName !== undefined ? { fileName: upload.fileName } : {}),
        ...(storedFilesBenchmark ? { storedFilesBenchmark } : {}),
      },
    );
  } catch (error) {
    if (isInvalidBenchmark(error)) throw new HttpError(400, `Cannot read benchmark: ${error.message}`);
    throw error;
  }
  cx.log('info', `stored ${stored.isTemplate ? 'template' : 'benchmark'} ${stored.name} (version ${stored.version})`);
  sendEmpty(res, 204, { Location: `${cx.baseUrl(req.headers)}/benchmark/${encodeURIComponent(stored.name)}`, ETag: etag(stored) });
}

function getBenchmark(cx: RestContext, { req, res, params }: Exchange): void {
  const stored = lookup(cx, params.name);
  if (negotiate(req.headers.accept, ['text/vnd.yaml', JAVA_SERIALIZED]) === JAVA_SERIALIZED) {
    throw new HttpError(406, 'this controller keeps benchmarks as YAML source only: ask for text/vnd.yaml');
  }
  send(res, 200, stored.text, YAML_TYPE, { ETag: etag(stored) });
}

function deleteBenchmark(cx: RestContext, { res, params }: Exchange): void {
  const name = checkBenchmarkName(params.name ?? '');
  if (!cx.store.delete(name)) throw new HttpError(404, `No benchmark or template \`${name}\``);
  cx.log('info', `deleted benchmark ${name}`);
  sendEmpty(res, 204);
}

async function startBenchmark(cx: RestContext, { req, res, params, query }: Exchange): Promise<void> {
  const stored = lookup(cx, params.name);
  const runId = query.get('runId');
  const requested = runId === null ? undefined : cx.runs.requested?.(runId);
  if (runId !== null && (requested === undefined || requested.benchmark !== stored.name)) {
    throw new HttpError(400, `run ${runId} was not requested for benchmark ${stored.name} (or has already started): start it without runId`);
  }
  const values = { ...requested?.params, ...templateParams(query) };
  let rendered: Benchmark;
  try {
    rendered = cx.store.render(stored, values); // refuse before anything starts, with the problems and their positions
  } catch (error) {
    if (isInvalidBenchmark(error)) throw new HttpError(400, `Cannot start benchmark ${stored.name}: ${error.message}`);
    throw error;
  }
  const description = query.get('desc') ?? requested?.description ?? null;
  const options: StartOptions = {
    ...(description !== null ? { description } : {}),
    ...(Object.keys(values).length > 0 ? { params: values } : {}),
    ...(requested !== undefined ? { runId: requested.id } : {}),
  };
  // The benchmark's `triggerUrl` (after its template parameters), else the controller's `--trigger-url`.
  const triggerUrl = requested === undefined && req.headers['x-trigger-job'] === undefined ? rendered.triggerUrl ?? cx.options.triggerUrl : undefined;
  if (triggerUrl !== undefined && cx.runs.request !== undefined) {
    // Hyperfoil's CI flow: the run is only reserved; the CI job behind the URL starts it with `start?runId=`.
    const reserved = cx.runs.request(stored, options);
    cx.log('info', `run ${reserved.id} of ${stored.name} requested; a CI job is to start it (${triggerUrl})`);
    sendEmpty(res, 301, { Location: `${triggerUrl}BENCHMARK=${encodeURIComponent(stored.name)}&RUN_ID=${reserved.id}`, 'x-run-id': reserved.id });
    return;
  }
  const run = await cx.runs.start(stored, options);
  cx.log('info', `started run ${run.id} of ${stored.name}`);
  sendJson(res, 202, run, { Location: `${cx.baseUrl(req.headers)}/run/${encodeURIComponent(run.id)}` });
}

function getFiles(cx: RestContext, { res, params }: Exchange): void {
  const stored = lookup(cx, params.name);
  const names = [...stored.files.keys()].sort();
  const { contentType, body } = encodeMultipart(names.map((name) => ({ name: 'file', filename: name, data: stored.files.get(name)! })));
  send(res, 200, body, contentType, { ETag: etag(stored) });
}

function getStructure(cx: RestContext, { res, params, query }: Exchange): void {
  const stored = lookup(cx, params.name);
  const maxCollectionSize = queryInteger(query, 'maxCollectionSize', 20, 0);
  const values = templateParams(query);
  const declared = scanTemplate(stored.text).params;
  const defaults: Record<string, string | null> = {};
  for (const [name, value] of declared) defaults[name] = value ?? null;
  const missing = [...declared].filter(([name, value]) => value === undefined && !Object.hasOwn(values, name));
  if (missing.length > 0) {
    sendJson(res, 200, { params: defaults, content: null });
    return;
  }
  let content: unknown;
  try {
    content = toStructure(cx.store.render(stored, values), maxCollectionSize);
  } catch (error) {
    if (isInvalidBenchmark(error)) throw new HttpError(400, `Cannot render benchmark ${stored.name}: ${error.message}`);
    throw error;
  }
  sendJson(res, 200, { params: defaults, content });
}

export function benchmarkRoutes(cx: RestContext): Route[] {
  return [
    { method: 'GET', path: '/benchmark', handler: ({ res }) => sendJson(res, 200, cx.store.benchmarkNames()) },
    { method: 'POST', path: '/benchmark', handler: (ex) => addBenchmark(cx, ex) },
    { method: 'GET', path: '/benchmark/{name}', handler: (ex) => getBenchmark(cx, ex) },
    { method: 'DELETE', path: '/benchmark/{name}', handler: (ex) => deleteBenchmark(cx, ex) },
    { method: 'GET', path: '/benchmark/{name}/start', handler: (ex) => startBenchmark(cx, ex) },
    { method: 'GET', path: '/benchmark/{name}/files', handler: (ex) => getFiles(cx, ex) },
    { method: 'GET', path: '/benchmark/{name}/structure', handler: (ex) => getStructure(cx, ex) },
    { method: 'GET', path: '/template', handler: ({ res }) => sendJson(res, 200, cx.store.templateNames()) },
  ];
}
