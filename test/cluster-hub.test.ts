/**
 * The agent hub on a real controller port with raw WebSocket clients standing in for agents: who is refused and
 * why, garbage that must not hurt the controller, heartbeat loss, clock offset, hand-started agents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { AgentConnection } from '../src/controller/index.js';
import { PROTOCOL_VERSION } from '../src/protocol/index.js';
import { startTestCluster } from './support/cluster.js';
import type { TestCluster } from './support/cluster.js';

const unusedDeployer = () => ({ deploy: () => Promise.reject(new Error('not used')) });

async function cluster(hub = {}): Promise<TestCluster> {
  return startTestCluster({ rootDir: mkdtempSync(join(tmpdir(), 'hf-hub-')), deployer: unusedDeployer, hub });
}

function dial(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

function hello(name: string, token: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, name, token, agentTimeMs: Date.now(), ...extra });
}

describe('agent hub', () => {
  it('refuses a wrong token, another protocol version, garbage and a first message that is not hello, saying why; keeps serving', async () => {
    const c = await cluster();
    try {
      const expected = c.hub.expect('a', 'right-token');
      expected.catch(() => {});
      const cases: Array<[string | Buffer, number, RegExp]> = [
        [hello('a', 'wrong-token'), 4003, /^invalid token for agent a$/],
        [hello('nobody', 'right-token'), 4003, /^invalid token for agent nobody$/],
        [hello('a', 'right-token', { version: PROTOCOL_VERSION + 41 }),
          4001, new RegExp(`protocol version mismatch: agent a speaks ${PROTOCOL_VERSION + 41}, the controller speaks ${PROTOCOL_VERSION}`)],
        ['{not json', 4400, /^invalid hello: message is not JSON$/],
        [Buffer.from([0, 255, 1, 2]), 4400, /^invalid hello: binary frames are not part of the protocol$/],
        [JSON.stringify({ type: 'heartbeat', agentTimeMs: 1 }), 4400, /first message must be `hello`, got `heartbeat`/],
        [JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, name: 'a' }), 4400, /field `token` must be a string/],
      ];
      for (const [message, code, reason] of cases) {
        const ws = await dial(c.url);
        const end = closed(ws);
        ws.send(message);
        const result = await end;
        assert.equal(result.code, code, `close code for ${String(message)}`);
        assert.match(result.reason, reason);
      }
      // Bytes that are not WebSocket frames at all, after a proper upgrade: the controller drops the connection.
      const port = Number(new URL(c.url).port);
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (answer.includes('\r\n\r\n') && !answer.includes('garbage-sent')) {
          answer += 'garbage-sent';
          socket.write(Buffer.from('\x00\xff\x13 this is not a frame'));
        }
      });
      socket.write('GET /agent HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      await new Promise((resolve) => socket.on('close', resolve));
      assert.match(answer, /^HTTP\/1\.1 101 /, 'the upgrade itself was accepted');

      const good = await dial(c.url);
      good.send(hello('a', 'right-token'));
      const connection = await expected;
      assert.equal(connection.name, 'a');
      assert.match(connection.address, /^127\.0\.0\.1:\d+$/);
      const version = await fetch(`${c.url}/version`);
      assert.equal(version.status, 200, 'the REST API still answers');
      // A second agent of the same name is refused while the first is connected.
      const twin = await dial(c.url);
      const twinEnd = closed(twin);
      const again = c.hub.expect('a', 'token-2');
      again.catch(() => {});
      twin.send(hello('a', 'token-2'));
      assert.deepEqual(await twinEnd, { code: 4009, reason: 'an agent named a is already connected' });
      connection.close();
      good.close();
    } finally {
      await c.close();
    }
  });

  it('other paths get 404, and a connection that never says hello is dropped', async () => {
    const c = await cluster({ helloTimeoutMs: 200 });
    try {
      const other = new WebSocket(`${c.url.replace(/^http/, 'ws')}/elsewhere`);
      const status = await new Promise<number>((resolve) => {
        other.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        other.once('error', () => resolve(-1));
      });
      assert.equal(status, 404);
      const silent = await dial(c.url);
      const started = Date.now();
      const result = await closed(silent);
      assert.equal(result.code, 4408);
      assert.match(result.reason, /no hello within 200 ms/);
      // Tolerance: the timer fires at 200 ms; closing takes a round trip on loopback (< 100 ms here).
      assert.ok(Date.now() - started >= 190 && Date.now() - started < 1000, `dropped after ${Date.now() - started} ms`);
    } finally {
      await c.close();
    }
  });

  it('declares an agent lost when it goes silent for the heartbeat timeout, not before', async () => {
    const c = await cluster({ heartbeatTimeoutMs: 400, pingIntervalMs: 50 });
    try {
      const expected = c.hub.expect('a', 't');
      const ws = await dial(c.url);
      ws.send(hello('a', 't'));
      const connection: AgentConnection = await expected;
      // Alive for 700 ms: heartbeats every 100 ms and automatic pongs keep it registered.
      const beat = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat', agentTimeMs: Date.now() })), 100);
      let lostReason: string | undefined;
      let lostAt = 0;
      connection.onClose((reason) => { lostReason = reason; lostAt = Date.now(); });
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal(lostReason, undefined, 'an agent that beats is not lost');
      // Frozen: no heartbeats, and its socket is no longer read, so pings go unanswered (as under SIGSTOP).
      clearInterval(beat);
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const frozenAt = Date.now();
      while (lostReason === undefined && Date.now() - frozenAt < 3000) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(lostReason, 'no heartbeat for 400 ms');
      // Between 400 ms (the limit; the last pong may have come just before the pause) and 400 + 50 (check period)
      // + 150 ms of timer slack on a shared 2-core machine.
      const detectedMs = lostAt - frozenAt;
      assert.ok(detectedMs >= 350 && detectedMs <= 600, `lost after ${detectedMs} ms`);
      ws.terminate();
    } finally {
      await c.close();
    }
  });

  it('measures the agent\'s clock offset at registration', async () => {
    const c = await cluster();
    try {
      const expected = c.hub.expect('a', 't');
      const ws = await dial(c.url);
      ws.send(hello('a', 't', { agentTimeMs: Date.now() + 5000 }));
      const connection = await expected;
      // The hello claims a clock 5 s ahead; loopback round trips and Date.now() granularity add a few ms.
      assert.ok(Math.abs((connection.clockOffsetMs ?? 0) - 5000) <= 20, `offset ${connection.clockOffsetMs}`);
      connection.close();
      ws.terminate();
    } finally {
      await c.close();
    }
  });

  it('parks a hand-started agent until a run names it; refuses it without the controller\'s token', async () => {
    const c = await cluster({ standingToken: 'standing' });
    try {
      const refused = await dial(c.url);
      const refusedEnd = closed(refused);
      refused.send(hello('m', 'guess'));
      assert.equal((await refusedEnd).code, 4003);
      const ws = await dial(c.url);
      ws.send(hello('m', 'standing'));
      const deadline = Date.now() + 2000;
      while (c.hub.parkedAgents().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(c.hub.parkedAgents(), ['m']);
      const connection = await c.hub.expect('m', 'standing');
      assert.equal(connection.name, 'm');
      assert.deepEqual(c.hub.parkedAgents(), []);
      connection.close();
      ws.terminate();
    } finally {
      await c.close();
    }
  });

  it('shuts down promptly with an agent connected, telling it why', async () => {
    const c = await cluster({ standingToken: 'standing' });
    const ws = await dial(c.url);
    const end = closed(ws);
    ws.send(hello('m', 'standing'));
    const deadline = Date.now() + 2000;
    while (c.hub.parkedAgents().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const startedAt = Date.now();
    assert.equal((await fetch(`${c.url}/shutdown`)).status, 200);
    await c.close();
    assert.deepEqual(await end, { code: 1000, reason: 'the controller is shutting down' });
    // The REST server waits for open WebSockets unless the hub ends them first; a closing handshake on loopback
    // takes milliseconds, the hub's own limit is 1 s.
    assert.ok(Date.now() - startedAt < 1500, `closed after ${Date.now() - startedAt} ms`);
  });
});
