#!/usr/bin/env node
// Does an action from an extension cost more per call than the same action built in? (build first: npm run build)
// The extension `incr` (written to a temporary folder in TypeScript and compiled on load like any extension) does
// exactly what the built-in `addToInt: x += 1` does. Each variant runs in its own process (so each call site sees
// one class, as in a real run), `always: 100 users` for a fixed time, every session running 200 such actions:
//   ns/action = 1e9 / (sessions per second × 200), which includes the step dispatch both share; `noop` gives that
// dispatch alone. Variants alternate over REPS rounds; medians are reported. Every loop is bounded by time.
//   node bench/extension-action.mjs [reps=5] [seconds=1]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ACTIONS_PER_SESSION = 200;
const USERS = 100;
const VARIANTS = { noop: '- noop', builtin: '- addToInt: x += 1', extension: '- incr: x' };

const EXTENSION = `import type { Extension, VarRef } from 'hyperfoil-ts/extension';
import type { Session, WriteAccess } from 'hyperfoil-ts/extension';
// The same body as the built-in AddToIntAction (delta, optional orElseSetTo), so only where it comes from differs.
class Incr {
  constructor(private readonly access: WriteAccess, private readonly delta: number, private readonly orElse: number | undefined) {}
  run(session: Session): void {
    const access = this.access;
    if (this.orElse !== undefined && !access.isSet(session)) {
      access.setInt(session, this.orElse);
      return;
    }
    access.setInt(session, (access.getInt(session) + this.delta) | 0);
  }
}
const extension: Extension = (api) => ({
  name: 'bench-incr',
  components: {
    incr: api.action(api.forms('incr', { inline: api.inline('a variable', (text) => {
      const ref = api.parseVarRef(text);
      return ref.ok ? api.ok<VarRef>(ref.value) : ref;
    }) }), (ref, cx) => new Incr(cx.writeVar(ref, 'int'), 1, undefined)),
  },
});
export default extension;
`;

async function measure(variant, extensionDir, seconds) {
  const dist = new URL('../dist/src/', import.meta.url);
  const { parseBenchmark } = await import(new URL('config/index.js', dist).href);
  const { EngineWorker, SOLO_WORKER } = await import(new URL('engine/index.js', dist).href);
  const { prepareExtensions } = await import(new URL('extensions/index.js', dist).href);
  await prepareExtensions({ specs: [extensionDir] });
  const body = Array(ACTIONS_PER_SESSION).fill(`          ${VARIANTS[variant]}`).join('\n');
  const yaml = `name: bench\nphases:\n- main:\n    always:\n      users: ${USERS}\n      duration: 1h\n      scenario:\n      - s:\n          - setInt: x <- 0\n${body}\n`;
  const benchmark = parseBenchmark(yaml, { fileName: 'bench.hf.yaml' });
  const worker = new EngineWorker({
    benchmark: { phases: benchmark.phases, ergonomics: benchmark.ergonomics, http: [], files: new Map() },
    identity: SOLO_WORKER, onStatus: () => {}, seed: 1,
  });
  worker.command('main', 'RUN');
  await sleep(300); // warm-up: optimised code before measuring
  const before = worker.counters('main').finished;
  const t0 = worker.clock.nowNs();
  await sleep(seconds * 1000);
  const sessions = worker.counters('main').finished - before;
  const elapsedNs = worker.clock.nowNs() - t0;
  worker.command('main', 'TERMINATE');
  if (worker.counters('main').failed > 0) throw new Error(`${variant}: ${worker.counters('main').failed} sessions failed`);
  worker.close();
  return elapsedNs / (sessions * ACTIONS_PER_SESSION);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--variant') {
  const [variant, dir, seconds] = rest;
  console.log(JSON.stringify({ nsPerAction: await measure(variant, dir, Number(seconds)) }));
} else {
  const reps = Number(mode ?? 5);
  const seconds = Number(rest[0] ?? 1);
  const dir = join(mkdtempSync(join(tmpdir(), 'hf-bench-ext-')), 'incr');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.ts'), EXTENSION);
  const results = { noop: [], builtin: [], extension: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const variant of Object.keys(VARIANTS)) {
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--variant', variant, dir, String(seconds)], { encoding: 'utf8', timeout: 60_000 });
      if (run.status !== 0) throw new Error(`${variant}: exit ${run.status}\n${run.stderr}`);
      results[variant].push(JSON.parse(run.stdout.trim().split('\n').at(-1)).nsPerAction);
    }
  }
  const [noop, builtin, extension] = ['noop', 'builtin', 'extension'].map((v) => median(results[v]));
  const fmt = (ns) => `${ns.toFixed(2)} ns`;
  console.log(`per action, medians of ${reps} × ${seconds} s (${USERS} users, ${ACTIONS_PER_SESSION} actions per session):`);
  console.log(`  noop (dispatch only)          ${fmt(noop)}   runs: ${results.noop.map((n) => n.toFixed(2)).join(' ')}`);
  console.log(`  built-in addToInt: x += 1     ${fmt(builtin)}   runs: ${results.builtin.map((n) => n.toFixed(2)).join(' ')}`);
  console.log(`  extension incr: x             ${fmt(extension)}   runs: ${results.extension.map((n) => n.toFixed(2)).join(' ')}`);
  console.log(`  extension / built-in: ${(extension / builtin).toFixed(3)} per call; net of dispatch: ${((extension - noop) / (builtin - noop)).toFixed(3)}`);
}
