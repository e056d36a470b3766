// Shared by the bench scripts: a pinned target (nginx or the tiny Node server) and a measured, pinned client run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLK_TCK = 100;

export const work = mkdtempSync(join(tmpdir(), 'hf-bench-'));
const cleanups = [];
process.on('exit', () => {
  for (const cleanup of cleanups.reverse()) {
    try { cleanup(); } catch { /* best effort */ }
  }
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

// ---- helpers ----------------------------------------------------------------------------------------------------

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
export const pinned = (cpu, command, args) => (hasTaskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args]);

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function procCpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return NaN;
  }
}

function procStatusKb(pid, key) {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

// ---- the target -------------------------------------------------------------------------------------------------

/** The start of an nginx.conf for a foreground nginx with one worker and its files under `dir` (the http block stays open). */
function nginxPrelude(dir) {
  return `
worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 30000; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;`;
}

/** Total requests nginx has handled (stub_status), or NaN without nginx. */
let serverRequests = async () => NaN;

/** A function that reads nginx's stub_status on 127.0.0.1:`port` and returns the requests handled so far. */
function stubStatusCounter(port) {
  return () => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end('GET /nginx_status HTTP/1.0\r\n\r\n'));
    let text = '';
    socket.on('data', (d) => { text += d; });
    socket.on('close', () => {
      const match = /\n\s*\d+\s+\d+\s+(\d+)/.exec(text);
      resolve(match ? Number(match[1]) - 1 : NaN); // less this status request
    });
    socket.on('error', () => resolve(NaN));
  });
}

/**
 * A second nginx (1 worker, pinned to CPU 1) serving `return 200 "ok"` over TLS with HTTP/2 and HTTP/1.1 (ALPN)
 * with the test certificate, and stub_status on a plain port. Returns its URL and its request counter.
 */
export async function startNginxH2(certFile, keyFile) {
  const port = await freePort();
  const statusPort = await freePort();
  const dir = join(work, 'nginx-h2');
  for (const d of ['', 'logs', 'tmp']) spawnSync('mkdir', ['-p', join(dir, d)]);
  writeFileSync(join(dir, 'nginx.conf'), `${nginxPrelude(dir)}
  http2_max_concurrent_streams 128;
  server {
    listen 127.0.0.1:${port} ssl http2 backlog=16384;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    location / { return 200 "ok"; }
  }
  server {
    listen 127.0.0.1:${statusPort};
    location = /nginx_status { stub_status; }
  }
}
`);
  const [cmd, args] = pinned(1, 'sh', ['-c', `ulimit -n 65536 2>/dev/null; exec /usr/sbin/nginx -p ${dir} -c ${dir}/nginx.conf`]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  cleanups.push(() => child.kill('SIGTERM'));
  await waitForPort(port);
  await waitForPort(statusPort);
  return { url: `https://127.0.0.1:${port}/`, countRequests: stubStatusCounter(statusPort) };
}

export async function startTarget(serverKind) {
  const port = await freePort();
  if (serverKind === 'nginx') {
    const dir = join(work, 'nginx');
    for (const d of ['', 'logs', 'tmp']) spawnSync('mkdir', ['-p', join(dir, d)]);
    writeFileSync(join(dir, 'nginx.conf'), `${nginxPrelude(dir)}
  server {
    listen 127.0.0.1:${port} backlog=16384;
    location = /nginx_status { stub_status; }
    location / { return 200 "ok"; }
  }
}
`);
    const [cmd, args] = pinned(1, 'sh', ['-c', `ulimit -n 65536 2>/dev/null; exec /usr/sbin/nginx -p ${dir} -c ${dir}/nginx.conf`]);
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    cleanups.push(() => child.kill('SIGTERM'));
    await waitForPort(port);
    serverRequests = stubStatusCounter(port);
    const version = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
    return { url: `http://127.0.0.1:${port}/`, description: `${version} (1 worker, return 200 "ok"), pinned to CPU 1` };
  }
  const [cmd, args] = pinned(1, process.execPath, [join(here, 'http-tiny-server.mjs'), String(port)]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGTERM'));
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}/`, description: 'bench/http-tiny-server.mjs (Node), pinned to CPU 1 (no nginx: apt-get install -y nginx-light)' };
}

// ---- one measured client run ------------------------------------------------------------------------------------

/**
 * Runs a client pinned to CPU 0, sampling its CPU time, peak RSS and the server's request count every 200 ms.
 * Returns its output and, for the steady part of the run (from 1 s after traffic starts to the last sample with
 * traffic), the server-side rate and the client's CPU microseconds per request.
 */
export async function measure(command, args, { timeoutMs = 120_000, countRequests = serverRequests } = {}) {
  const [cmd, cmdArgs] = pinned(0, 'sh', ['-c', 'ulimit -n 65536 2>/dev/null; exec "$@"', 'sh', command, ...args]);
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const samples = [];
  let peakRssKb = 0;
  let running = true;
  const exited = new Promise((resolve) => child.on('close', (code) => { running = false; resolve(code); }));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  while (running) {
    const t = performance.now();
    const cpu = procCpuTicks(child.pid);
    const hwm = procStatusKb(child.pid, 'VmHWM');
    if (hwm > peakRssKb) peakRssKb = hwm;
    const requests = await countRequests();
    if (Number.isFinite(cpu)) samples.push({ t, cpu, requests, rssKb: procStatusKb(child.pid, 'VmRSS') });
    await Promise.race([sleep(200), exited]);
  }
  const code = await exited;
  clearTimeout(killer);
  const active = samples.filter((s, i) => i > 0 && s.requests > samples[i - 1].requests);
  let steady = { ratePerSec: NaN, cpuUsPerRequest: NaN };
  if (active.length >= 3) {
    const first = active[0];
    const start = samples.find((s) => s.t >= first.t + 1000) ?? first;
    const end = active.at(-2) ?? active.at(-1);
    const requests = end.requests - start.requests;
    if (end.t > start.t && requests > 0) {
      steady = { ratePerSec: (requests / (end.t - start.t)) * 1000, cpuUsPerRequest: ((end.cpu - start.cpu) / CLK_TCK) * 1e6 / requests };
    }
  }
  return { code, stdout, stderr, samples, peakRssKb, ...steady };
}

export const wrkRate = (out) => Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);

function runDirOf(stderr) {
  return /stored in (\S+)/.exec(stderr)?.[1];
}

export function allJsonOf(stderr) {
  const dir = runDirOf(stderr);
  try {
    return dir ? JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

