/**
 * The controller's routes for people and monitoring: `/` (the live view), `/run/{runId}/events` (its Server-Sent
 * Events) and `/metrics` (OpenMetrics). Same port, password and Origin/Host checks as the REST API.
 */
import type { ServerResponse } from 'node:http';
import type { RunJson } from '../api.js';
import { HttpError } from '../rest/http-error.js';
import type { RestContext } from '../rest/options.js';
import { send } from '../rest/respond.js';
import type { Route } from '../rest/router.js';
import { livePage } from './live-page.js';
import { OPENMETRICS_TYPE, renderOpenMetrics } from './metrics.js';

/** How often a running run's figures are sent to a live view. */
export const LIVE_PERIOD_MS = 1000;

/**
 * Server-Sent Events for one run: `stats` ({run, recent}) every LIVE_PERIOD_MS while it goes, then one `end` ({run})
 * and the stream closes. Stops when the client goes away; the server's close ends it too.
 */
function runEvents(cx: RestContext, res: ServerResponse, id: string): void {
  const initial = cx.runs.get(id);
  if (initial === undefined) throw new HttpError(404, `Run \`${id}\` not found`);
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  const event = (name: string, data: unknown): void => { res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`); };
  const tick = (): void => {
    const run: RunJson | undefined = cx.runs.get(initial.id);
    if (run === undefined || run.completed) {
      clearInterval(timer);
      event('end', { run: run ?? initial });
      res.end();
      return;
    }
    event('stats', { run, recent: cx.runs.statsRecent(run.id) ?? null });
  };
  const timer = setInterval(tick, LIVE_PERIOD_MS);
  res.on('close', () => clearInterval(timer));
  tick();
}

export function webRoutes(cx: RestContext): Route[] {
  return [
    { method: 'GET', path: '/', handler: ({ res }) => send(res, 200, livePage(cx.options.version().version), 'text/html; charset=utf-8') },
    { method: 'GET', path: '/run/{runId}/events', handler: ({ res, params }) => runEvents(cx, res, params.runId ?? '') },
    { method: 'GET', path: '/metrics', handler: ({ res }) => send(res, 200, renderOpenMetrics(cx.runs), OPENMETRICS_TYPE) },
  ];
}
