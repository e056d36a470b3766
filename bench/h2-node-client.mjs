#!/usr/bin/env node
// node:http2's own client as an h2load-like closed loop, for comparison in `npm run bench` (step h2):
//   node bench/h2-node-client.mjs URL CONNECTIONS STREAMS SECONDS
// Each connection keeps STREAMS requests in flight; prints `Requests/sec: N` like wrk.
import http2 from 'node:http2';

const [url, connections = '10', streams = '100', seconds = '5'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/h2-node-client.mjs URL CONNECTIONS STREAMS SECONDS');
  process.exit(2);
}
const path = new URL(url).pathname;
const endAt = performance.now() + Number(seconds) * 1000;
let completed = 0;
let failed = 0;

function loop(session) {
  if (performance.now() >= endAt || session.closed) return;
  const stream = session.request({ ':path': path });
  stream.on('response', () => {});
  stream.on('data', () => {});
  stream.on('end', () => {
    completed++;
    loop(session);
  });
  stream.on('error', () => {
    failed++;
    loop(session);
  });
  stream.end();
}

const started = performance.now();
const sessions = [];
for (let c = 0; c < Number(connections); c++) {
  const session = http2.connect(url, { rejectUnauthorized: false, peerMaxConcurrentStreams: Number(streams) });
  session.on('error', () => {});
  sessions.push(session);
  for (let s = 0; s < Number(streams); s++) loop(session);
}
setTimeout(() => {
  const elapsedS = (performance.now() - started) / 1000;
  console.log(`Requests/sec: ${(completed / elapsedS).toFixed(2)}`);
  console.log(`completed ${completed}, failed ${failed}, ${elapsedS.toFixed(2)} s`);
  for (const s of sessions) s.destroy();
  process.exit(0);
}, Number(seconds) * 1000);
