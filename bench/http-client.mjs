#!/usr/bin/env node
// Throughput of our HTTP/1.1 client: a closed loop over N keep-alive connections against a tiny local
// server (bench/http-tiny-server.mjs), compared with wrk on the same server when wrk is installed.
// Client and wrk run pinned to CPU 0, the server to CPU 1 (taskset), one after the other.
// Besides req/s it reports CPU time per request of each client, which stays meaningful even when
// the server, not the client, is the limit.
//
// Build first: `npx tsc -p .`   Run: `node bench/http-client.mjs [--connections 50] [--duration 5] [--pipelining 1]`
// Bounded: each measured run lasts --duration seconds (default 5) after a 1 s warm-up.

import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const connections = opt('connections', 50);
const durationS = opt('duration', 5);
const pipelining = opt('pipelining', 1);
const port = opt('port', 0);

if (args.includes('--client')) {
  await runClient(port, connections, opt('duration-ms', 5000), pipelining);
} else {
  await orchestrate();
}

// ---- the measured client (runs in its own pinned process) ----

async function runClient(targetPort, connectionCount, durationMs, pipeliningLimit) {
  const http = await import(join(here, '..', 'dist', 'src', 'http', 'index.js'));
  const authority = `127.0.0.1:${targetPort}`;
  const pool = new http.HttpConnectionPool({
    authority,
    host: '127.0.0.1',
    port: targetPort,
    secure: false,
    size: http.normalizePoolSize(connectionCount),
    pipeliningLimit: pipeliningLimit,
  });
  await new Promise((resolve, reject) => pool.start((e) => (e ? reject(e) : resolve())));
  const request = new http.RequestTemplate({ method: 'GET', authority, path: '/' }).fixed;

  let running = true;
  let completed = 0;
  let failed = 0;
  let latencySumNs = 0;
  let live = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));

  // One object per virtual user: it is both the response handler and the pool waiter (no closures).
  class User {
    wantsHeaders = false;
    wantsBody = false;
    sentAtNs = 0;
    next() {
      if (!running) {
        if (--live === 0) finish();
        return;
      }
      const c = pool.acquire(this);
      if (c !== null) this.sentAtNs = c.send(request, this, 30_000);
    }
    onConnectionAvailable(c) {
      this.sentAtNs = c.send(request, this, 30_000);
    }
    onConnectionFailed() {
      failed++;
      setTimeout(() => this.next(), 10);
    }
    onStatus() {}
    onHeader() {}
    onHeadersEnd() {}
    onBodyPart() {}
    onComplete(completedAtNs) {
      completed++;
      latencySumNs += completedAtNs - this.sentAtNs;
      this.next();
    }
    onFailure() {
      failed++;
      setTimeout(() => this.next(), 10);
    }
  }

  const users = connectionCount * pipeliningLimit;
  const startUsers = () => {
    running = true;
    live = users;
    for (let i = 0; i < users; i++) new User().next();
  };
  const stopAfter = (ms) => new Promise((r) => setTimeout(() => { running = false; r(); }, ms));

  // Warm-up (JIT), not measured.
  startUsers();
  await stopAfter(1000);
  await finished;
  let resolveRun;
  const runFinished = new Promise((r) => (resolveRun = r));
  finish = resolveRun;
  completed = 0;
  failed = 0;
  latencySumNs = 0;

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  startUsers();
  await stopAfter(durationMs);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const measured = completed;
  await runFinished;
  pool.shutdown();
  process.stdout.write(JSON.stringify({ requests: measured, failed, elapsedMs, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, meanLatencyUs: measured ? latencySumNs / measured / 1000 : 0 }) + '\n');
}

// ---- orchestration ----

function hasTool(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

function pinned(cpu, command, commandArgs) {
  return hasTool('taskset') ? ['taskset', ['-c', String(cpu), command, ...commandArgs]] : [command, commandArgs];
}

async function orchestrate() {
  const pin = hasTool('taskset');
  const [serverCmd, serverArgs] = pinned(1, process.execPath, [join(here, 'http-tiny-server.mjs')]);
  const server = spawn(serverCmd, serverArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const nextLine = () => new Promise((r) => lines.once('line', r));
  const serverPort = Number((await nextLine()).split(' ')[1]);
  const serverCpuMs = async () => {
    server.stdin.write('cpu\n');
    const [, u, s] = (await nextLine()).split(' ');
    return Number(u) + Number(s);
  };

  try {
    console.log(`server: tiny raw-socket HTTP server on 127.0.0.1:${serverPort}${pin ? ', pinned to CPU 1' : ''}`);
    console.log(`load: closed loop, ${connections} connections, pipelining ${pipelining}, ${durationS} s (+1 s warm-up)${pin ? ', client pinned to CPU 0' : ' (taskset missing: not pinned)'}`);

    const s0 = await serverCpuMs();
    const [cmd, cmdArgs] = pinned(0, process.execPath, [fileURLToPath(import.meta.url), '--client', '--port', String(serverPort), '--connections', String(connections), '--duration-ms', String(durationS * 1000), '--pipelining', String(pipelining)]);
    const run = spawnSync(cmd, cmdArgs, { encoding: 'utf8', timeout: (durationS + 30) * 1000 });
    if (run.status !== 0) throw new Error(`client run failed: ${run.stderr}`);
    const ours = JSON.parse(run.stdout.trim().split('\n').pop());
    const s1 = await serverCpuMs();
    const oursRate = ours.requests / (ours.elapsedMs / 1000);
    const oursCpuUsPerReq = ((ours.userMs + ours.systemMs) * 1000) / ours.requests;
    const serverBusy = (s1 - s0) / (ours.elapsedMs + 1000);
    console.log(`ours: ${Math.round(oursRate)} req/s, ${oursCpuUsPerReq.toFixed(2)} µs CPU/request (user ${Math.round(ours.userMs)} ms + sys ${Math.round(ours.systemMs)} ms), mean latency ${ours.meanLatencyUs.toFixed(0)} µs, failures ${ours.failed}; server CPU busy ${(serverBusy * 100).toFixed(0)}%`);

    if (!hasTool('wrk')) {
      console.log('wrk: not installed (apt-get install -y wrk) — no comparison');
      return;
    }
    // Warm-up run, then the measured one; wrk's CPU time is the shell's cutime/cstime once wrk exited.
    const taskset = pin ? 'taskset -c 0 ' : '';
    spawnSync('sh', ['-c', `${taskset}wrk -t1 -c${connections} -d1s http://127.0.0.1:${serverPort}/`], { timeout: 30_000 });
    const script = `${taskset}wrk -t1 -c${connections} -d${durationS}s http://127.0.0.1:${serverPort}/; cat /proc/$$/stat; getconf CLK_TCK`;
    const w0 = await serverCpuMs();
    const wrk = spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: (durationS + 30) * 1000 });
    const w1 = await serverCpuMs();
    const out = wrk.stdout;
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const total = Number(/(\d+) requests in/.exec(out)?.[1]);
    const outLines = out.trim().split('\n');
    const ticks = Number(outLines.pop());
    const stat = outLines.pop().split(') ')[1].split(' ');
    // After ") " comes field 3 (state); cutime is field 16 → index 13, cstime field 17 → index 14.
    const wrkCpuMs = ((Number(stat[13]) + Number(stat[14])) * 1000) / ticks;
    const wrkCpuUsPerReq = (wrkCpuMs * 1000) / total;
    console.log(`wrk:  ${Math.round(rate)} req/s, ${wrkCpuUsPerReq.toFixed(2)} µs CPU/request; server CPU busy ${(((w1 - w0) / (durationS * 1000)) * 100).toFixed(0)}%`);
    console.log(`ratio ours/wrk: ${(oursRate / rate).toFixed(2)} (throughput)${pipelining > 1 ? ' — not like-for-like: wrk does not pipeline' : ''}`);
  } finally {
    server.stdin.end();
  }
}
