/**
 * `wrk` and `wrk2` as shell commands, from a pipe: wrk's report, the run listed on the local controller, and
 * `--use-http-cache` (the session's cache survives its restarts, so a cacheable URL reaches the server once per
 * connection). A real server counts the requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell } from '../src/cli/shell/test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-wrk-'));

describe('wrk and wrk2 in the shell', () => {
  let server: Server;
  let url = '';
  const seen = new Map<string, number>();
  before(async () => {
    server = createServer((req, res) => {
      seen.set(req.url ?? '', (seen.get(req.url ?? '') ?? 0) + 1);
      res.setHeader('cache-control', 'max-age=600');
      res.end('cached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('wrk prints wrk\'s report; --use-http-cache sends one request per connection, without it every request goes out', async () => {
    const result = await runShell([
      `start-local ${join(dir, 'root')} -q`,
      `wrk -c 2 -t 1 -d 1s --warmup-duration 0 --use-http-cache ${url}/cached`,
      `wrk -c 2 -t 1 -d 1s --warmup-duration 0 ${url}/plain`,
      'runs',
    ]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Running 1s test @ http:\/\/127\.0\.0\.1:\d+\/cached\n\s+1 threads and 2 connections/);
    assert.match(result.stdout, /Requests\/sec:/);
    assert.equal(seen.get('/cached'), 2, 'each of the 2 sessions fetched once, then served its repeats from its cache');
    assert.ok((seen.get('/plain') ?? 0) > 10, `without the cache every request reaches the server (${seen.get('/plain')})`);
    assert.match(result.stdout, /0000 +wrk/);
    assert.match(result.stdout, /0001 +wrk/);
  });

  it('wrk2 needs -R, as the one-shot command', async () => {
    const result = await runShell([`start-local ${join(dir, 'root2')} -q`, `wrk2 -d 1s ${url}/x`]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr + result.stdout, /wrk2 needs the request rate: -R\/--rate N/);
  });
});
