/** `/openapi`, `/version`, `/token`, `/log`, `/log/{agent}` and `/shutdown`. */
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { normalizeVersion } from '../benchmark-store.js';
import { HttpError } from './http-error.js';
import type { RestContext } from './options.js';
import { queryFlag, queryInteger, send, sendJson, sendText, TEXT } from './respond.js';
import type { Exchange, Route } from './router.js';

/**
 * `openapi.yaml` is not copied into `dist/`: the compiled module (`dist/src/controller/rest/`) reaches back into the
 * source tree; a module run straight from `src/controller/rest/` finds it beside itself.
 */
const OPENAPI_CANDIDATES: readonly URL[] = [
  new URL('../../../../src/controller/rest/openapi.yaml', import.meta.url),
  new URL('./openapi.yaml', import.meta.url),
];

export function loadOpenApi(): Buffer {
  for (const candidate of OPENAPI_CANDIDATES) {
    try {
      return readFileSync(candidate);
    } catch {
      // try the next place
    }
  }
  throw new Error(`openapi.yaml not found (looked at ${OPENAPI_CANDIDATES.map((u) => fileURLToPath(u)).join(', ')})`);
}

/**
 * A slice of a log file: from `offset` (default 0), at most `maxLength` bytes (-1: to the end). The ETag names the
 * file (device, inode, creation time); when the client's `if-match` names another file, the log was replaced and the
 * slice starts at 0.
 */
async function serveLog({ req, res, query }: Exchange, path: string | undefined, what: string): Promise<void> {
  let offset = queryInteger(query, 'offset', 0, 0);
  const maxLength = queryInteger(query, 'maxLength', -1, -1);
  if (path === undefined) throw new HttpError(404, `no log is available for ${what}`);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new HttpError(404, `no log is available for ${what}`);
  }
  if (!info.isFile()) throw new HttpError(404, `no log is available for ${what}`);
  const id = `${info.dev.toString(16)}-${info.ino.toString(16)}-${Math.floor(info.birthtimeMs).toString(16)}`;
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && normalizeVersion(ifMatch) !== id) offset = 0;
  const start = Math.min(offset, info.size);
  const end = maxLength < 0 ? info.size : Math.min(info.size, start + maxLength);
  res.statusCode = 200;
  res.setHeader('Content-Type', TEXT);
  res.setHeader('ETag', `"${id}"`);
  res.setHeader('Content-Length', end - start);
  if (end === start) {
    res.end();
    return;
  }
  await pipeline(createReadStream(path, { start, end: end - 1 }), res);
}

export function miscRoutes(cx: RestContext, openApi: Buffer): Route[] {
  const { options } = cx;
  return [
    { method: 'GET', path: '/openapi', handler: ({ res }) => send(res, 200, openApi, 'text/vnd.yaml; charset=utf-8') },
    { method: 'GET', path: '/version', handler: ({ res }) => sendJson(res, 200, { ...options.version(), serverTime: Date.now() }) },
    { method: 'GET', path: '/token', handler: ({ res }) => sendText(res, 200, cx.auth.issueToken()) },
    { method: 'GET', path: '/log', handler: (ex) => serveLog(ex, options.logFile, 'the controller (it logs to no file)') },
    {
      method: 'GET', path: '/log/{agent}', handler: (ex) => {
        const agent = ex.params.agent ?? '';
        return serveLog(ex, options.agentLogFile?.(agent), `agent \`${agent}\``);
      },
    },
    {
      method: 'GET', path: '/shutdown', handler: ({ res, query }) => {
        const force = queryFlag(query, 'force');
        if (cx.runs.busy && !force) {
          throw new HttpError(403, 'a run is in progress: kill it first, or shut down with force=true');
        }
        cx.log('warn', `shutting down on request${force ? ' (forced)' : ''}`);
        res.once('finish', () => setImmediate(options.onShutdown));
        sendText(res, 200, 'Shutting down');
      },
    },
  ];
}
