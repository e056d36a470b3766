/**
 * An agent-message fuzzer against a real `hyperfoil controller` process: runs whose agent sends thousands of
 * generated messages (valid ones with random values, then mutations: fields dropped or retyped, nulls, huge strings,
 * deep nesting, odd numbers, truncated text, random bytes, binary frames), and connections whose very first message
 * is such a mutation. Bounded in time; afterwards the controller still runs, every run it knows answers on every
 * REST view without a 500, and a clean run completes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { mulberry32 } from '../src/lib/prng.js';
import { encodeFuzzMessage, mutateMessage, validRunningMessage, validTemplates } from '../src/protocol/test-support.js';
import { AgentPeer, assertCleanRunWorks, benchmarkYaml, obey, rest, startControllerProcess, startRun, untilCompleted } from './support/agent-peer.js';
import type { ControllerProcess } from './support/agent-peer.js';

/** Time given to fuzzed runs; each run ends by itself (agent failed, or its 300 ms phase done), so this bounds the test. */
const FUZZ_BUDGET_MS = 6000;
const MESSAGES_PER_RUN = 3000;
const FIRST_MESSAGE_CONNECTIONS = 300;
/** Every read-only view of a run (`/sessions` and `/connections` listings answer 501 by design, so they are left out). */
const RUN_VIEWS = ['', '/stats/total', '/stats/recent', '/stats/all/json', '/stats/series', '/sessions/recent',
  '/sessions/total', '/connections/recent', '/connections/total', '/agentCpu', '/benchmark'];

let controller: ControllerProcess;

describe('agent-message fuzzer (real controller process)', () => {
  before(async () => {
    controller = await startControllerProcess(['--agent-timeout', '2s']);
  });
  after(async () => {
    await controller.kill();
  });

  it(`survives runs of ${MESSAGES_PER_RUN} generated messages each and ${FIRST_MESSAGE_CONNECTIONS} mutated first messages; never a 500 afterwards`, async () => {
    const seed = Number(process.env.HF_FUZZ_SEED ?? 9_2026);
    const random = mulberry32(seed);
    const runIds: string[] = [];
    let sent = 0;
    const startMs = Date.now();
    while (Date.now() - startMs < FUZZ_BUDGET_MS) {
      // A valid prefix of random length, then mutations of valid messages: the controller handles thousands of
      // messages of the run before the first one it must refuse (which ends the agent, and the run).
      const validPrefix = Math.floor(random() * MESSAGES_PER_RUN);
      const burst = Array.from({ length: MESSAGES_PER_RUN }, (_, i) => encodeFuzzMessage(i < validPrefix
        ? { json: validRunningMessage(random) }
        : mutateMessage(random, validRunningMessage(random))));
      sent += burst.length;
      await AgentPeer.join(controller.url, 'a', (message, peer) => {
        if (message.type !== 'phase' || message.command !== 'RUN') return false;
        obey(message, peer);
        for (const frame of burst) peer.send(frame);
        return true;
      });
      try {
        const id = await startRun(controller.url, benchmarkYaml(`fuzz${runIds.length}`, ['a'], 300));
        runIds.push(id);
        await untilCompleted(controller.url, id, 10_000);
      } catch (error) {
        assert.fail(`seed ${seed}, run ${runIds.length}: ${(error as Error).message}; the controller ${controller.alive() ? 'runs' : 'exited'}:\n` +
          controller.output().slice(-2000));
      }
    }

    const templates = validTemplates(random);
    for (let i = 0; i < FIRST_MESSAGE_CONNECTIONS; i += 10) {
      await Promise.all(Array.from({ length: 10 }, async (_, j) => {
        const ws = new WebSocket(`${controller.url.replace(/^http/, 'ws')}/agent`);
        ws.on('error', () => {});
        const closed = new Promise((resolve) => ws.once('close', resolve));
        await new Promise((resolve) => ws.once('open', resolve));
        ws.send(encodeFuzzMessage(mutateMessage(random, templates[(i + j) % templates.length]!)));
        await closed; // refused (or, for a hello still valid by chance, refused for its token)
      }));
    }

    console.log(`# seed ${seed}: ${runIds.length} runs, ${sent} messages in runs, ${FIRST_MESSAGE_CONNECTIONS} mutated first messages`);
    assert.ok(runIds.length >= 3, `several fuzzed runs in ${FUZZ_BUDGET_MS} ms (${runIds.length})`);
    assert.ok(controller.alive(), controller.output().slice(-3000));
    for (const id of runIds) {
      for (const view of RUN_VIEWS) {
        const answer = await rest(controller.url, `/run/${id}${view}`);
        assert.ok(answer.status < 500, `seed ${seed}: GET /run/${id}${view} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
    }
    assert.equal((await rest(controller.url, '/run')).status, 200);
    await assertCleanRunWorks(controller, 'after-fuzz');
  });
});
