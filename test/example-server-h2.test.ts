/**
 * The examples over HTTP/2 against `hyperfoil example-server`: h2 by ALPN on its HTTPS port and h2c on its
 * plain port (`--h2c`), each run by the CLI as a real process, with the connection kind read from all.json.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExampleServer, type RunningExampleServer } from '../src/example-server/index.js';
import { runCli } from './support/cli.js';
import { repoRoot } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-example-h2-'));
let server: RunningExampleServer;
const protocols = new Map<string, number>();

before(async () => {
  server = await startExampleServer({ httpPort: 0, httpsPort: 0, h2c: true, log: (line) => {
    const version = /HTTP\/[\d.]+/.exec(line)?.[0] ?? 'unknown';
    protocols.set(version, (protocols.get(version) ?? 0) + 1);
  } });
});
after(() => server.close());

/** The example with its host replaced and its phase shortened to 2 s. */
function example(name: string, host: string, extraHttp: string): string {
  const text = readFileSync(join(repoRoot, 'examples', name), 'utf8')
    .replace(/host: https?:\/\/localhost:\d+/, `host: ${host}${extraHttp}`)
    .replace(/duration: 5s/g, 'duration: 2s');
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function kinds(root: string): string[] {
  const all = JSON.parse(readFileSync(join(root, 'run', '0000', 'all.json'), 'utf8')) as { connections: Record<string, Record<string, unknown>> };
  const gauges = new Set(['in-flight requests', 'used connections', 'blocked sessions']);
  return Object.values(all.connections).flatMap((byType) => Object.keys(byType)).filter((type) => !gauges.has(type));
}

describe('examples over HTTP/2 against the example server', () => {
  it('quick.hf.yaml over h2c (allowHttp1x: false against --h2c)', async () => {
    protocols.clear();
    const root = join(dir, 'root-h2c');
    const file = example('quick.hf.yaml', server.httpUrl.replace('127.0.0.1', 'localhost'), '\n  allowHttp1x: false');
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    // 5: the load generator saturated (a busy neighbour on this shared machine); the protocol is what is checked here.
    assert.ok(result.code === 0 || (result.code === 5 && /saturated/.test(result.stdout)), result.stderr + result.stdout);
    assert.deepEqual(kinds(root), ['HTTP 2']);
    assert.deepEqual([...protocols.keys()], ['HTTP/2.0'], 'the server logged only HTTP/2 requests');
    assert.match(result.stdout, /^main\s+buy\s+/m);
  });

  it('secure-login.hf.yaml over h2 on the HTTPS port (ALPN)', async () => {
    protocols.clear();
    const root = join(dir, 'root-tls');
    const file = example('secure-login.hf.yaml', server.httpsUrl!.replace('127.0.0.1', 'localhost'), '');
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    // 5: the load generator saturated (a busy neighbour on this shared machine); the protocol is what is checked here.
    assert.ok(result.code === 0 || (result.code === 5 && /saturated/.test(result.stdout)), result.stderr + result.stdout);
    assert.deepEqual(kinds(root), ['TLS + HTTP 2']);
    assert.deepEqual([...protocols.keys()], ['HTTP/2.0'], 'the server logged only HTTP/2 requests');
  });
});
