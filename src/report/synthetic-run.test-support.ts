// A stored run made by the real statistics code, for report tests: `metrics` metrics (named by the caller, so
// hostile names can be tried) measured by two agents for `seconds` one-second buckets each, with status codes,
// errors, an SLA, sessions and connections. Deterministic (seeded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../lib/prng.js';
import { allJson, slaVerdictsJson, StatisticsStore, StatsSnapshot } from '../stats/index.js';

export interface SyntheticRun {
  readonly dir: string;
  readonly metrics: readonly string[];
  readonly seconds: number;
}

export const SYNTHETIC_START_MS = 1_790_000_000_000;

export function writeSyntheticRun(rootDir: string, options: {
  id: string; seconds: number; metrics: readonly string[]; benchmark?: string; source?: string; description?: string;
  responsesPerSecond?: number;
}): SyntheticRun {
  const { id, seconds, metrics } = options;
  const agents = ['agent-a', 'agent-b'];
  const random = mulberry32(7);
  const store = new StatisticsStore({
    mergeDelayBuckets: 2,
    slas: () => [{ errorRatio: 0.01, invalidRatio: 1, blockedRatio: 0, limits: [{ percentile: 99, latencyNs: 50_000_000 }] }],
  });
  const perBucket = options.responsesPerSecond ?? 40;
  for (let s = 0; s < seconds; s++) {
    const startMs = SYNTHETIC_START_MS + s * 1000;
    for (const agent of agents) {
      metrics.forEach((metric, m) => {
        const snapshot = new StatsSnapshot('int32').setInterval(startMs, startMs + 1000);
        for (let i = 0; i < perBucket; i++) {
          // log-normal-ish around 2 ms, slower in the middle of the run, a rare slow outlier
          const slow = s > seconds / 2 && s < seconds / 2 + 30 ? 4 : 1;
          const latencyNs = Math.floor(Math.exp(13.5 + random() * 1.5) * slow * (random() < 0.002 ? 50 : 1));
          snapshot.recordResponse(latencyNs);
          // an open model (constantRate): timed from the intended start too, up to 4 ms of the generator's lateness later
          snapshot.recordFromIntendedStart(latencyNs + Math.floor(random() * 4e6));
          snapshot.recordStatus(random() < 0.01 * (m % 3) ? 503 : 200);
        }
        snapshot.requestCount = perBucket + (random() < 0.05 ? 1 : 0);
        if (random() < 0.05) snapshot.connectionErrors = 1;
        store.add(agent, 'main', m + 1, metric, s, snapshot);
      });
      store.recordSessions(agent, 'main', startMs + 1000, 0, 10 + Math.floor(random() * 5));
    }
  }
  store.completePhase('main');
  const connection = (max: number) => agents.flatMap((agent) => Array.from({ length: seconds }, (_, s) => ({
    timestamp: SYNTHETIC_START_MS + (s + 1) * 1000, agent, min: 0, max,
  })));
  const benchmark = options.benchmark ?? 'synthetic';
  const info = {
    id, benchmark, params: { USERS: '10' }, startTime: SYNTHETIC_START_MS, terminateTime: SYNTHETIC_START_MS + seconds * 1000,
    cancelled: false, description: options.description ?? 'synthetic run for the report tests', errors: [],
    agentClockOffsetMs: { 'agent-a': 0, 'agent-b': -3 }, phaseStartSkewMs: { main: 4 },
  };
  const all = {
    ...allJson(store, { info, version: '0.1.0', commit: 'test', connections: { 'localhost:8080': { 'used connections': connection(8), 'in-flight requests': connection(3) } } }),
    generator: {
      limits: { latenessP99: 10_000_000, loopLagP99: 10_000_000 }, saturated: false,
      phases: [{ phase: 'main', saturated: false, reasons: [], scheduledStarts: seconds * 80, lateStarts: 0, latenessP50: 300_000,
        latenessP99: 2_000_000, latenessMax: 4_000_000, throttledStarts: 0, droppedStarts: 0, loopLagSamples: seconds * 100,
        laggingSamples: 0, loopLagP99: 1_000_000, loopLagMax: 3_000_000, isWarmup: false }],
    },
    sla: slaVerdictsJson(store),
  };
  const dir = join(rootDir, 'run', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'info.json'), JSON.stringify(info, null, 2));
  writeFileSync(join(dir, 'all.json'), JSON.stringify(all, null, 2));
  writeFileSync(join(dir, `${benchmark}.yaml`), options.source ?? `name: ${benchmark}\nphases:\n- main:\n    constantRate: { usersPerSec: 80, duration: ${seconds}s }\n`);
  return { dir, metrics, seconds };
}
