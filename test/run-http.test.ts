/**
 * `hyperfoil run` with real HTTP: an in-test server on 127.0.0.1, the CLI as a real process. Checks the request
 * counts against the Poisson arrivals, the exit code of a failed SLA, and a dead target.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertExitCode, runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-run-http-'));
let server: Server;
let port = 0;
let served = 0;

before(async () => {
  server = createServer((req, res) => {
    served++;
    res.setHeader('content-type', 'application/json');
    res.end(req.url === '/items' ? '[{"id":1},{"id":2},{"id":3}]' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function write(name: string, text: string): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('hyperfoil run over HTTP', () => {
  it('runs an open-model phase with the expected number of requests and prints and stores the statistics', async () => {
    const file = write('open', [
      'name: open',
      `http: {host: 'http://127.0.0.1:${port}', sharedConnections: 4}`,
      'usersPerSec: 40',
      'duration: 3s',
      'scenario:',
      '- list:',
      '  - httpRequest: {GET: /items, metric: items, handler: {body: {json: {query: ".[].id", toArray: "ids[3]"}}}}',
      '- pick:',
      '  - randomItem: id <- ids',
      '  - httpRequest: {GET: "/item/${id}", metric: item}',
    ].join('\n'));
    const before = served;
    const result = await runCli(['run', file, '--root-dir', join(dir, 'root'), '-q']);
    // Exit 1 here has been a session-limit failure (sessions piling up past maxSessions = 40 while the machine was
    // starved by other jobs): the output says so.
    assertExitCode(result, 0);
    // 40 users/s for 3 s with Poisson arrivals: 120 expected, standard deviation sqrt(120) ≈ 11; 4 sd each side.
    const rows = readFileSync(join(dir, 'root', 'run', '0000', 'stats', 'total.csv'), 'utf8').trim().split('\n').slice(1);
    const requests = Object.fromEntries(rows.map((row) => { const cells = row.split(','); return [cells[1], Number(cells[4])]; }));
    assert.ok((requests.items ?? 0) >= 76 && (requests.items ?? 0) <= 164, `items: ${requests.items}`);
    assert.equal(requests.item, requests.items, 'every session makes both requests');
    assert.equal(served - before, (requests.items ?? 0) * 2, 'the server saw exactly the requests counted');
    assert.match(result.stdout, /^main\s+item\s+[\d.]+ req\/s\s+\d+/m);
    assert.match(result.stdout, /^main\s+items\s+/m);
  });

  it('exits 1 and prints the failure when an SLA fails', async () => {
    const file = write('sla', [
      'name: sla',
      `http: {host: 'http://127.0.0.1:${port}'}`,
      'phases:',
      '- main:',
      '    atOnce:',
      '      users: 1',
      '      scenario:',
      '      - s:',
      '        - httpRequest: {GET: /x, sla: {meanResponseTime: 1 ns}}',
    ].join('\n'));
    const result = await runCli(['run', file, '--root-dir', join(dir, 'root-sla'), '-q']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /main\/s: Mean response time exceeded/);
  });

  it('exits 4 with a message naming the target when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const file = write('dead', [
      'name: dead',
      `http: {host: 'http://127.0.0.1:${deadPort}'}`,
      'phases:',
      '- main:',
      '    atOnce: {users: 1, scenario: [{s: [{httpRequest: {GET: /}}]}]}',
    ].join('\n'));
    const started = Date.now();
    const result = await runCli(['run', file, '--root-dir', join(dir, 'root-dead'), '-q']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, new RegExp(`Cannot connect to 127\\.0\\.0\\.1:${deadPort}.*ECONNREFUSED`));
    assert.ok(Date.now() - started < 20_000, 'gives up within seconds');
  });
});
