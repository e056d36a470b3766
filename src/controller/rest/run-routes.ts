/** `/run…` and `/agents`: runs, their statistics and the files in their directories. */
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { containedFile, HyperfoilError } from '../../lib/index.js';
import { renderReportFrom } from '../../report/index.js';
import { createZip } from '../../lib/zip.js';
import type { RunJson } from '../api.js';
import { checkBenchmarkName } from '../benchmark-store.js';
import { HttpError } from './http-error.js';
import type { RestContext } from './options.js';
import {
  JSON_TYPE, negotiate, queryFlag, queryInteger, queryRequired, send, sendJson, sendText, YAML_TYPE,
} from './respond.js';
import type { Exchange, Route } from './router.js';

const ZIP_TYPE = 'application/zip';

function findRun(cx: RestContext, id: string | undefined): RunJson {
  const run = id === undefined ? undefined : cx.runs.get(id);
  if (!run) throw new HttpError(404, `Run \`${id ?? ''}\` not found`);
  return run;
}

function runDirOf(cx: RestContext, run: RunJson): string {
  const dir = cx.runs.runDir(run.id);
  if (dir === undefined) throw new HttpError(404, `run ${run.id} has no directory`);
  return dir;
}

/** A path given by the client, inside the run directory (see `containedFile`: 403 outside, 404 not a file). */
function fileInRunDir(runDir: string, relative: string): string {
  return containedFile(runDir, relative, 'the run directory');
}

async function streamFile(res: ServerResponse, path: string, contentType: string): Promise<void> {
  const size = statSync(path).size;
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', size);
  await pipeline(createReadStream(path, { start: 0, end: Math.max(0, size - 1) }), res);
}

/** Not finished yet: the export only exists afterwards, so send the client to the run's status. */
function seeRun(cx: RestContext, res: ServerResponse, run: RunJson, headers: { host?: string | undefined }): void {
  sendText(res, 303, `run ${run.id} has not finished: its statistics are exported when it completes`,
    { Location: `${cx.baseUrl(headers)}/run/${encodeURIComponent(run.id)}` });
}

function allJson(cx: RestContext, { req, res }: Exchange, run: RunJson): void {
  const json = cx.runs.allJson(run.id);
  if (json === undefined) return seeRun(cx, res, run, req.headers);
  sendJson(res, 200, json);
}

function allCsv(cx: RestContext, { req, res }: Exchange, run: RunJson): void {
  const files = cx.runs.statsFiles(run.id);
  if (files === undefined) return seeRun(cx, res, run, req.headers);
  const names = [...files.keys()].sort();
  const zip = createZip(names.map((name) => ({ name, data: files.get(name)! })));
  send(res, 200, zip, ZIP_TYPE, { 'Content-Disposition': `attachment; filename="${run.id}.zip"` });
}

function metricQuery(query: URLSearchParams): { phase: string; stepId: number; metric: string } {
  return { phase: queryRequired(query, 'phase'), stepId: queryInteger(query, 'stepId', undefined, 0), metric: queryRequired(query, 'metric') };
}

function orNotFound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new HttpError(404, what);
  return value;
}

/**
 * The HTML report, made from the run's `all.json` (or another JSON export of its directory, `?source=`) when asked:
 * it is never stale and needs no stored copy. 303 to the run while it has not finished.
 */
async function report(cx: RestContext, { req, res, query }: Exchange, run: RunJson): Promise<void> {
  const dir = runDirOf(cx, run);
  const source = query.get('source');
  if (!run.completed) return seeRun(cx, res, run, req.headers);
  const sourceName = source ?? 'all.json';
  fileInRunDir(dir, sourceName); // 403 outside the run directory, 404 when missing
  let html: string;
  try {
    html = renderReportFrom(dir, sourceName);
  } catch (error) {
    if (error instanceof HyperfoilError && error.code === 'REPORT_FAILED') throw new HttpError(404, error.message);
    throw error;
  }
  send(res, 200, html, 'text/html; charset=utf-8');
}

async function runBenchmark(cx: RestContext, { req, res }: Exchange, run: RunJson): Promise<void> {
  if (negotiate(req.headers.accept, ['text/vnd.yaml', 'application/java-serialized-object']) === 'application/java-serialized-object') {
    throw new HttpError(406, 'this controller keeps benchmarks as YAML source only: ask for text/vnd.yaml');
  }
  let name: string;
  try {
    name = checkBenchmarkName(run.benchmark);
  } catch {
    throw new HttpError(404, `the source of run ${run.id} was not kept`);
  }
  let path: string;
  try {
    path = fileInRunDir(runDirOf(cx, run), `${name}.yaml`);
  } catch {
    throw new HttpError(404, `the source of run ${run.id} was not kept`);
  }
  await streamFile(res, path, YAML_TYPE);
}

async function listing(res: ServerResponse, produce: (() => string | Promise<string>) | undefined, what: string): Promise<void> {
  if (!produce) throw new HttpError(501, `listing ${what} is not supported by this controller; use /${what}/recent or /${what}/total`);
  sendText(res, 200, await produce());
}

export function runRoutes(cx: RestContext): Route[] {
  /** A route on one run: the run is looked up (`last` included) before the handler runs. */
  const onRun = (path: string, handler: (ex: Exchange, run: RunJson) => void | Promise<void>): Route => ({
    method: 'GET', path: `/run/{runId}${path}`, handler: (ex) => handler(ex, findRun(cx, ex.params.runId)),
  });
  return [
    {
      method: 'GET', path: '/run', handler: ({ res, query }) => {
        const runs = cx.runs.list();
        sendJson(res, 200, queryFlag(query, 'details')
          ? runs
          : runs.map((r) => ({ id: r.id, cancelled: r.cancelled, completed: r.completed, persisted: r.persisted })));
      },
    },
    onRun('', ({ res }, run) => sendJson(res, 200, run)),
    onRun('/kill', ({ res }, run) => {
      const killed = cx.runs.kill(run.id);
      if (killed) cx.log('info', `run ${run.id} killed through the REST API`);
      sendText(res, 200, killed ? `Killed run ${run.id}.` : `Run ${run.id} has already ended.`);
    }),
    onRun('/benchmark', (ex, run) => runBenchmark(cx, ex, run)),
    onRun('/report', (ex, run) => report(cx, ex, run)),
    onRun('/stats/recent', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.statsRecent(run.id), `no statistics for run ${run.id}`))),
    onRun('/stats/total', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.statsTotal(run.id), `no statistics for run ${run.id}`))),
    onRun('/stats/histogram', ({ res, query }, run) => {
      const { phase, stepId, metric } = metricQuery(query);
      // `agent` (our addition): one agent's histogram instead of the merged one.
      const agent = query.get('agent') ?? undefined;
      sendJson(res, 200, orNotFound(cx.runs.histogram(run.id, phase, stepId, metric, agent),
        `run ${run.id} has no histogram for phase ${phase}, step ${stepId}, metric ${metric}${agent ? `, agent ${agent}` : ''}`));
    }),
    onRun('/stats/series', ({ res, query }, run) => {
      const { phase, stepId, metric } = metricQuery(query);
      sendJson(res, 200, orNotFound(cx.runs.series(run.id, phase, stepId, metric),
        `run ${run.id} has no series for phase ${phase}, step ${stepId}, metric ${metric}`));
    }),
    onRun('/stats/all', (ex, run) => {
      const type = negotiate(ex.req.headers.accept, [JSON_TYPE, ZIP_TYPE]);
      if (type === undefined) throw new HttpError(406, 'the complete statistics are available as application/json or application/zip');
      return type === ZIP_TYPE ? allCsv(cx, ex, run) : allJson(cx, ex, run);
    }),
    onRun('/stats/all/json', (ex, run) => allJson(cx, ex, run)),
    onRun('/stats/all/csv', (ex, run) => allCsv(cx, ex, run)),
    onRun('/sessions', ({ res, query }, run) => {
      const inactive = queryFlag(query, 'inactive');
      const list = cx.runs.listSessions?.bind(cx.runs);
      return listing(res, list && (() => list(run.id, inactive)), 'sessions');
    }),
    onRun('/sessions/recent', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.sessions(run.id, 'recent'), `no session statistics for run ${run.id}`))),
    onRun('/sessions/total', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.sessions(run.id, 'total'), `no session statistics for run ${run.id}`))),
    onRun('/connections', ({ res }, run) => {
      const list = cx.runs.listConnections?.bind(cx.runs);
      return listing(res, list && (() => list(run.id)), 'connections');
    }),
    onRun('/connections/recent', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.connections(run.id, 'recent'), `no connection statistics for run ${run.id}`))),
    onRun('/connections/total', ({ res }, run) => sendJson(res, 200, orNotFound(cx.runs.connections(run.id, 'total'), `no connection statistics for run ${run.id}`))),
    onRun('/agentCpu', ({ res }, run) => {
      const live = cx.runs.agentCpu?.(run.id);
      const exported = (cx.runs.allJson(run.id) as { agentCpu?: unknown } | undefined)?.agentCpu;
      sendJson(res, 200, live ?? exported ?? {});
    }),
    onRun('/file', ({ res, query }, run) => {
      const path = fileInRunDir(runDirOf(cx, run), queryRequired(query, 'file'));
      return streamFile(res, path, 'application/octet-stream');
    }),
    { method: 'GET', path: '/agents', handler: ({ res }) => sendJson(res, 200, cx.runs.agents()) },
  ];
}
