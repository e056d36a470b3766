/**
 * The controller↔agent trust boundary, on a real `hyperfoil controller` process with WebSocket clients written here
 * that play hostile agents: malformed messages of every type, wrong versions, messages out of order, fatal errors,
 * silence, disconnects, oversized messages before authentication. Each case checks what the user sees (the run's
 * status over REST: completed, with an error naming the agent; kill works; a new run starts afterwards) and that
 * the process is still serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../src/protocol/index.js';
import { encodeHistogram } from '../src/stats/hdr-encoding.js';
import { createHistogram } from '../src/stats/histogram.js';
import {
  AGENT_TOKEN, AgentPeer, assertCleanRunWorks, benchmarkYaml, obey, rest, runView, snapshotBase64, startControllerProcess, startRun, untilCompleted,
} from './support/agent-peer.js';
import type { ControllerProcess, Reply, RunView } from './support/agent-peer.js';

/** The controller's --agent-timeout in these tests. */
const AGENT_TIMEOUT_MS = 2000;
/** The run's stopTimeoutMs (default): how long agents get to confirm `stop`. */
const STOP_TIMEOUT_MS = 5000;
/**
 * A run that a hostile message ends needs no timeout at all: the bad agent fails at once and the good one obeys
 * TERMINATE and stop within a few ms. An implementation that wedges never completes; 10 s of polling tells them
 * apart on a loaded 2-core machine.
 */
const PROMPT_END_MS = 10_000;

const histogramBase64 = encodeHistogram(createHistogram('int32')).toString('base64');
const item = (extra: Record<string, unknown>): Record<string, unknown> => ({ phase: 'main', stepId: 1, metric: 'm', sequenceId: 0, snapshot: snapshotBase64(1), ...extra });

let controller: ControllerProcess;
let runCount = 0;

/** Starts a run with agents `a` (playing `replyA`) and `b` (obedient); resolves once both joined. */
async function runWith(replyA: Reply, options: { agents?: string[]; durationMs?: number } = {}): Promise<{ id: string; peers: AgentPeer[] }> {
  const agents = options.agents ?? ['a', 'b'];
  const peers = await Promise.all(agents.map((name) => AgentPeer.join(controller.url, name, name === 'a' ? replyA : () => false)));
  const id = await startRun(controller.url, benchmarkYaml(`hostile${++runCount}`, agents, options.durationMs ?? 3000));
  return { id, peers };
}

async function assertStillServing(): Promise<void> {
  await assertCleanRunWorks(controller, `clean${++runCount}`);
}

function failedWith(run: RunView, agent: string, pattern: RegExp): void {
  assert.ok(run.completed);
  assert.ok(run.errors.some((e) => e.startsWith(`${agent}: Agent ${agent} failed: `) && pattern.test(e)),
    `an error names agent ${agent} and matches ${pattern}: ${JSON.stringify(run.errors)}`);
  assert.equal(run.agents.find((a) => a.name === agent)?.status, 'FAILED');
}

async function responsesMeasured(id: string): Promise<number> {
  const total = await rest(controller.url, `/run/${id}/stats/total`);
  assert.equal(total.status, 200, total.text);
  const stats = JSON.parse(total.text) as { statistics: Array<{ metric: string; summary: { responseCount: number } }> };
  return stats.statistics.filter((s) => s.metric === 'm').reduce((sum, s) => sum + s.summary.responseCount, 0);
}

describe('agents as a trust boundary (real controller process, hostile WebSocket agents)', () => {
  before(async () => {
    controller = await startControllerProcess([`--agent-timeout`, `${AGENT_TIMEOUT_MS}ms`]);
  });
  after(async () => {
    await controller.kill();
  });

  const midPhase: Array<[string, unknown, RegExp]> = [
    ['a stats item whose snapshot is a histogram, not a snapshot', { type: 'stats', items: [item({ snapshot: histogramBase64 })] },
      /`items\[0\]\.snapshot` is not valid: Cannot decode a statistics snapshot: bad magic/],
    ['a 4 MB garbage snapshot', { type: 'stats', items: [item({ snapshot: randomBytes(3 * 1024 * 1024).toString('base64') })] },
      /`items\[0\]\.snapshot` is 4194304 characters long, more than the 2097152 allowed/],
    ['a snapshot that is not base64', { type: 'stats', items: [item({ snapshot: '***' })] }, /is not base64/],
    ['stats for a period far beyond the phase so far', { type: 'stats', items: [item({ sequenceId: 2 ** 30 })] }, /`stats` for period 1073741824 of phase main/],
    ['stats for a phase the run does not have', { type: 'stats', items: [item({ phase: 'elsewhere' })] }, /`stats` names phase `elsewhere`, which this run does not have/],
    ['sessions with a null range', { type: 'sessions', timestampMs: Date.now(), phases: { main: null } }, /`phases\.main` must be an object, got null/],
    ['sessions with negative counts', { type: 'sessions', timestampMs: Date.now(), phases: { main: { min: -1, max: 1 } } }, /`phases\.main\.min` must be between 0/],
    ['sessions of an unknown phase', { type: 'sessions', timestampMs: Date.now(), phases: { ghost: { min: 0, max: 1 } } }, /`sessions` names phase `ghost`/],
    ['connections with a null row', { type: 'connections', timestampMs: Date.now(), rows: [null] }, /`rows\[0\]` must be an object, got null/],
    ['a phaseStatus for an unknown phase', { type: 'phaseStatus', phase: 'nope', status: 'RUNNING', sessionLimitExceeded: false }, /`phaseStatus` names phase `nope`/],
    ['a phaseStatus with an unknown status', { type: 'phaseStatus', phase: 'main', status: 'EXPLODED', sessionLimitExceeded: false }, /`status` must be one of/],
    ['a generatorLoad with garbage histograms', { type: 'generatorLoad', phase: 'main', lateness: 'AAAA', loopLag: histogramBase64, throttledStarts: 0, droppedStarts: 0 },
      /`lateness` is not valid: Cannot decode HdrHistogram/],
    ['a second hello', { type: 'hello', version: PROTOCOL_VERSION, name: 'a', token: AGENT_TOKEN, agentTimeMs: 1 }, /`hello` was sent twice/],
    ['a second ready', { type: 'ready', stepSlas: {} }, /`ready` was sent twice/],
    ['stopped before the controller asked', { type: 'stopped' }, /`stopped` was sent before the controller asked/],
    ['an unknown message type', { type: 'reboot' }, /unknown message type `reboot`/],
    ['text that is not JSON', '{"type": "stats", "items": [', /message is not JSON/],
    ['a binary frame', randomBytes(64), /binary frames are not part of the protocol/],
    ['100 000 levels of nesting', `{"type":"sessions","timestampMs":1,"phases":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, /`phases` must be an object, got array/],
    ['a number beyond double range', '{"type":"heartbeat","agentTimeMs":1e999}', /`agentTimeMs` must be a finite number/],
    ['stats that would make 4097 more statistics series', { type: 'stats', items: Array.from({ length: 4097 }, (_, i) => item({ metric: `m${i}` })) },
      /`stats` would make more than 4096 statistics series/],
    ['connections rows of 1025 (authority, type) pairs', { type: 'connections', timestampMs: Date.now(), rows: Array.from({ length: 1025 }, (_, i) => ({ authority: `h${i}:80`, type: 't', min: 0, max: 1 })) },
      /`connections` would make more than 1024 \(authority, type\) pairs/],
    ['an error message of 1 MB', { type: 'error', message: 'x'.repeat(1024 * 1024), fatal: false }, /`message` is 1048576 characters long/],
  ];

  it('a malformed message mid-phase fails that agent only: the run ends naming it and the problem, the other agent is stopped, what was measured is kept', async () => {
    for (const [what, bad, pattern] of midPhase) {
      const { id, peers } = await runWith((message, peer) => {
        if (message.type !== 'phase' || message.command !== 'RUN') return false;
        obey(message, peer); // RUNNING and 3 measured responses first
        peer.send(bad);
        return true;
      });
      const { run } = await untilCompleted(controller.url, id, PROMPT_END_MS);
      failedWith(run, 'a', new RegExp(`sent an invalid message: .*${pattern.source}`));
      assert.equal(run.agents.find((a) => a.name === 'b')?.status, 'STOPPED', `${what}: the other agent was stopped in order`);
      assert.equal(run.cancelled, true, `${what}: the run was stopped early`);
      assert.equal(await responsesMeasured(id), 6, `${what}: both agents' 3 responses before the failure are kept`);
      const closed = await peers[0]!.closed;
      // 4400: the protocol module refused it; 4422: it does not fit the run (phase, order, period).
      assert.ok([4400, 4422].includes(closed.code), `${what}: closed with code ${closed.code}`);
      assert.match(closed.reason, /^sent an invalid message: /, `${what}: the agent is told why`);
      assert.ok(controller.alive(), `${what}: the controller is still running`);
    }
    await assertStillServing();
  });

  it('messages out of order fail the agent before the phases start: stats before ready, a status for a phase never started', async () => {
    const early: Array<[string, unknown, RegExp]> = [
      ['stats before ready', { type: 'stats', items: [item({})] }, /`stats` was sent before any phase started/],
      ['phaseStatus before RUN', { type: 'phaseStatus', phase: 'main', status: 'TERMINATED', sessionLimitExceeded: false }, /`phaseStatus` was sent before any phase started/],
      ['phaseStatsComplete before RUN', { type: 'phaseStatsComplete', phase: 'main' }, /`phaseStatsComplete` was sent before any phase started/],
    ];
    for (const [what, bad, pattern] of early) {
      const { id } = await runWith((message, peer) => {
        if (message.type !== 'init') return false;
        peer.send(bad);
        return true;
      });
      const { run } = await untilCompleted(controller.url, id, PROMPT_END_MS);
      failedWith(run, 'a', pattern);
      assert.equal(run.started, undefined, `${what}: no phase ran`);
      assert.equal(run.agents.find((x) => x.name === 'b')?.status, 'STOPPED', `${what}: the other agent was stopped`);
    }
    await assertStillServing();
  });

  it('a fatal error from an agent mid-phase ends the run (it used to stay TERMINATING forever), and the next run starts', async () => {
    const { id } = await runWith((message, peer) => {
      if (message.type !== 'phase' || message.command !== 'RUN') return false;
      obey(message, peer);
      peer.send({ type: 'error', message: 'the disk is on fire', fatal: true });
      return true;
    });
    const { run } = await untilCompleted(controller.url, id, PROMPT_END_MS);
    failedWith(run, 'a', /^a: Agent a failed: the disk is on fire$/);
    assert.equal(run.agents.find((a) => a.name === 'b')?.status, 'STOPPED');
    assert.deepEqual(run.phases.map((p) => p.status), ['TERMINATED']);
    await assertStillServing();
  });

  it('kill ends a run whose agent ignores TERMINATE, within the agent timeout', async () => {
    const { id, peers } = await runWith((message) => message.type === 'phase' && message.command === 'TERMINATE', { durationMs: 60_000 });
    await peers[0]!.next('phase:RUN');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await rest(controller.url, `/run/${id}/kill`)).status, 200);
    const { run, tookMs } = await untilCompleted(controller.url, id, AGENT_TIMEOUT_MS + PROMPT_END_MS);
    failedWith(run, 'a', /did not report phase main TERMINATED within 2s/);
    assert.equal(run.cancelled, true);
    // Not before the timeout (a working agent could still have answered), and not much after: the timeout is
    // checked every controller tick (50 ms) and the obedient agent stops at once.
    assert.ok(tookMs >= AGENT_TIMEOUT_MS - 100, `the run waited for the agent timeout (${tookMs} ms)`);
    await assertStillServing();
  });

  it('an agent that goes silent mid-phase (no status, no heartbeat) is declared failed once FINISH is overdue', async () => {
    const durationMs = 500;
    const { id, peers } = await runWith((message, peer) => {
      if (message.type === 'phase' && message.command === 'RUN') {
        obey(message, peer);
        peer.stopHeartbeat();
      }
      return message.type === 'phase';
    }, { durationMs });
    await peers[0]!.next('phase:RUN');
    const { run, tookMs } = await untilCompleted(controller.url, id, durationMs + AGENT_TIMEOUT_MS + PROMPT_END_MS);
    failedWith(run, 'a', /did not report phase main FINISHED within 2s/);
    assert.ok(tookMs >= durationMs + AGENT_TIMEOUT_MS - 300, `it had the whole timeout after FINISH (${tookMs} ms)`);
    await assertStillServing();
  });

  it('an agent that never sends a phase\'s statistics is declared failed after the agent timeout; its measurements so far are kept', async () => {
    const { id } = await runWith((message, peer) => {
      if (message.type !== 'phase' || (message.command !== 'TERMINATE' && message.command !== 'TRY_TERMINATE')) return false;
      peer.send({ type: 'phaseStatus', phase: message.phase, status: 'TERMINATED', sessionLimitExceeded: false });
      return true;
    }, { durationMs: 200 });
    const { run } = await untilCompleted(controller.url, id, AGENT_TIMEOUT_MS + PROMPT_END_MS);
    failedWith(run, 'a', /did not send the statistics of phase main within 2s of its end/);
    assert.equal(await responsesMeasured(id), 6);
    await assertStillServing();
  });

  it('an agent that never confirms stop holds the run at most the stop timeout', async () => {
    const { id } = await runWith((message) => message.type === 'stop', { durationMs: 200 });
    const { run, tookMs } = await untilCompleted(controller.url, id, STOP_TIMEOUT_MS + PROMPT_END_MS);
    assert.deepEqual(run.errors, []);
    assert.ok(tookMs < STOP_TIMEOUT_MS + 2000, `ended ${tookMs} ms after start, within the 5 s stop timeout plus the 200 ms phase and 2 s of slack`);
    await assertStillServing();
  });

  it('an agent that disconnects mid-phase fails the run with its name; the other agent is stopped', async () => {
    const { id } = await runWith((message, peer) => {
      if (message.type !== 'phase' || message.command !== 'RUN') return false;
      obey(message, peer);
      setTimeout(() => peer.close(), 100);
      return true;
    });
    const { run } = await untilCompleted(controller.url, id, PROMPT_END_MS);
    failedWith(run, 'a', /the connection closed/);
    assert.equal(run.agents.find((a) => a.name === 'b')?.status, 'STOPPED');
    await assertStillServing();
  });

  it('a registered agent that no run has taken may not queue messages without bound', async () => {
    const peer = await AgentPeer.join(controller.url, 'idle');
    for (let i = 0; i <= 1000; i++) peer.send({ type: 'error', message: `noise ${i}`, fatal: false });
    const { code, reason } = await peer.closed;
    assert.equal(code, 4400);
    assert.equal(reason, 'sent an invalid message: more than 1000 messages before any run took the agent');
    await assertStillServing();
  });

  it('an agent of another protocol version is refused at hello with a reason saying so, which the controller logs', async () => {
    const ws = new WebSocket(`${controller.url.replace(/^http/, 'ws')}/agent`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // A future hello may look different; the version is what is checked first.
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION + 1, name: 'future', credentials: { token: AGENT_TOKEN } }));
    const { code, reason } = await closed;
    assert.equal(code, 4001);
    assert.match(reason, new RegExp(`^protocol version mismatch: agent future speaks ${PROTOCOL_VERSION + 1}, the controller speaks ${PROTOCOL_VERSION}; run the same hyperfoil version on both$`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(controller.output(), /WARN refused an agent connection from 127\.0\.0\.1:\d+: protocol version mismatch: agent future speaks/);
    await assertStillServing();
  });

  it('before hello, a connection may send only a few KB: 16 clients sending 64 MiB frames are cut off and the controller\'s memory stays put', async () => {
    const rssBeforeKb = rssKb(controller.pid);
    const frameBytes = 64 * 1024 * 1024;
    const header = Buffer.alloc(14);
    header[0] = 0x81; // FIN, text frame
    header[1] = 0x80 | 127; // masked, 64-bit length
    header.writeBigUInt64BE(BigInt(frameBytes), 2);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const clients = await Promise.all(Array.from({ length: 16 }, async () => {
      const ws = new WebSocket(`${controller.url.replace(/^http/, 'ws')}/agent`);
      await new Promise((resolve) => ws.once('open', resolve));
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
      const cut = new Promise<number>((resolve) => {
        let sentBytes = 0;
        socket.on('close', () => resolve(sentBytes));
        socket.on('error', () => {});
        socket.write(header);
        const pump = (): void => {
          while (sentBytes < frameBytes && !socket.destroyed) {
            sentBytes += chunk.length;
            if (!socket.write(chunk)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
      return { ws, cut };
    }));
    const sentBytes = await Promise.all(clients.map((c) => c.cut));
    const rssAfterKb = rssKb(controller.pid);
    const growthMb = (rssAfterKb - rssBeforeKb) / 1024;
    console.log(`# controller RSS before ${Math.round(rssBeforeKb / 1024)} MB, after 16 clients each pushing a 64 MiB frame before hello ${Math.round(rssAfterKb / 1024)} MB`);
    for (const sent of sentBytes) assert.ok(sent < frameBytes, `the client was cut off before sending its whole frame (${sent} bytes written)`);
    // Each connection may hold 16 KiB plus one socket read (64 KiB) before it is cut: 16 × 80 KiB ≈ 1.3 MB. Without the
    // cap the controller buffered each frame whole (1 GB for 16). 64 MB allows for the garbage collector's latitude.
    assert.ok(growthMb < 64, `RSS grew by ${growthMb.toFixed(1)} MB`);
    assert.match(controller.output(), /more than 16384 bytes before an accepted hello/);
    await assertStillServing();
  });

  it('at most 64 connections may wait for their hello; more are refused with 503 until they finish', async () => {
    const idle = await Promise.all(Array.from({ length: 64 }, async () => {
      const ws = new WebSocket(`${controller.url.replace(/^http/, 'ws')}/agent`);
      ws.on('error', () => {});
      await new Promise((resolve) => ws.once('open', resolve));
      return ws;
    }));
    const refused = new WebSocket(`${controller.url.replace(/^http/, 'ws')}/agent`);
    const status = await new Promise<number>((resolve) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.once('open', () => resolve(101));
      refused.on('error', () => {});
    });
    assert.equal(status, 503);
    for (const ws of idle) ws.terminate();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await assertStillServing();
  });
});

describe('stopping a controller whose agent ignores everything (real process)', () => {
  for (const how of ['one SIGTERM', 'GET /shutdown?force=true'] as const) {
    it(`${how} stops the process within the shutdown grace, the run marked cancelled and written`, async () => {
      const c = await startControllerProcess([]);
      try {
        await AgentPeer.join(c.url, 'a', (message, peer) => {
          if (message.type === 'init') peer.send({ type: 'ready', stepSlas: {} });
          if (message.type === 'phase' && message.command === 'RUN') obey(message, peer);
          return true; // then nothing: no TERMINATE, no stats, no stopped; heartbeats go on
        });
        const id = await startRun(c.url, benchmarkYaml('wedged', ['a'], 60_000));
        for (;;) {
          const run = await runView(c.url, id);
          if (run.phases[0]?.status === 'RUNNING') break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const startMs = Date.now();
        if (how === 'one SIGTERM') {
          process.kill(c.pid, 'SIGTERM');
        } else {
          const answer = await rest(c.url, '/shutdown?force=true');
          assert.equal(answer.status, 200);
        }
        const result = await c.exited;
        const tookMs = Date.now() - startMs;
        assert.equal(result.code, 0, c.output());
        // SHUTDOWN_GRACE_MS (3 s) for the agent to stop, then it is cut off; closing the hub takes up to 1 s more.
        assert.ok(tookMs < 3000 + 1000 + 2000, `exited ${tookMs} ms after being asked`);
        const info = JSON.parse(readFileSync(join(c.rootDir, 'run', id, 'info.json'), 'utf8')) as { cancelled: boolean; errors: Array<{ agent?: string; msg?: string } | string> };
        assert.equal(info.cancelled, true);
        assert.match(JSON.stringify(info.errors), /did not stop within 3s of the kill/);
        assert.ok(existsSync(join(c.rootDir, 'run', id, 'all.json')));
      } finally {
        await c.kill();
      }
    });
  }
});

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}
