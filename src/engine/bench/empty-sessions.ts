/**
 * How many empty sessions one core can start and complete, and what an open model achieves when asked for far
 * more than that. Run after a build: `node dist/src/engine/bench/empty-sessions.js [seconds]`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SOLO_WORKER } from '../identity.js';
import type { PhaseModel, Scenario } from '../../config/model.js';
import { EngineWorker } from '../worker.js';
import { always, benchmark, constantRate, phase, spec, steps, testRegistry } from '../testing/index.js';

async function run(name: string, model: PhaseModel, scenario: Scenario, seconds: number): Promise<void> {
  const worker = new EngineWorker({
    benchmark: benchmark([phase(name, model, scenario)]),
    identity: SOLO_WORKER,
    onStatus: () => {},
    registry: testRegistry(),
    seed: 1,
  });
  const cpuBefore = process.cpuUsage();
  const t0 = worker.clock.nowNs();
  worker.command(name, 'RUN');
  await sleep(seconds * 1000);
  worker.command(name, 'FINISH');
  const elapsedSec = (worker.clock.nowNs() - t0) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const c = worker.counters(name);
  console.log(`${name.padEnd(34)} ${(c.finished / elapsedSec).toFixed(0).padStart(9)} sessions/s completed, `
    + `cpu ${(((cpu.user + cpu.system) / 1e6 / elapsedSec) * 100).toFixed(0)}%, throttled ${c.throttled}, `
    + `lateness mean ${(c.meanLatenessNs / 1e6).toFixed(2)} ms max ${(c.maxLatenessNs / 1e6).toFixed(1)} ms`);
  worker.close();
}

const seconds = Number(process.argv[2] ?? 2);
await run('always 100 users, noop', always(100), steps(spec('noop')), seconds);
await run('always 100 users, 5 noops', always(100), steps(spec('noop'), spec('noop'), spec('noop'), spec('noop'), spec('noop')), seconds);
await run('always 1000 users, noop', always(1000), steps(spec('noop')), seconds);
await run('constantRate 20000/s, noop', constantRate(20_000, 1000), steps(spec('noop')), seconds);
await run('constantRate 2M/s, noop (saturated)', constantRate(2_000_000, 10_000), steps(spec('noop')), seconds);
