#!/usr/bin/env node
// Micro-benchmark of request encoding: a fully pre-encoded request (no work per request), and dynamic requests
// whose path and headers change per request (encoded into the shared slab). Bounded by iteration counts (~2 s).
// Build first: `npx tsc -p .`   Run: `node bench/http-encode.mjs`
import { OutgoingRequest, RequestTemplate, RequestValues } from '../dist/src/http/index.js';

const ROUNDS = 1_000_000;

function run(label, encodeOnce) {
  for (let i = 0; i < ROUNDS / 10; i++) encodeOnce(i); // warm-up
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) bytes += encodeOnce(i);
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${label.padEnd(52)} ${(ns / ROUNDS).toFixed(0).padStart(5)} ns/request  (${(bytes / ROUNDS).toFixed(0)} bytes)`);
}

const fixed = new RequestTemplate({ method: 'GET', authority: 'localhost:8080', path: '/index.html', headers: [['accept', 'application/json']] });
run('constant request (pre-encoded once)', () => fixed.fixed.head.length);

const dynamic = new RequestTemplate({ method: 'GET', authority: 'localhost:8080', headers: [['accept', 'application/json']], dynamic: true });
const values = new RequestValues();
const out = new OutgoingRequest();
const paths = Array.from({ length: 64 }, (_, i) => `/items/${i * 7919}?page=${i}`);
run('dynamic path', (i) => {
  values.clear();
  values.path = paths[i & 63];
  dynamic.encode(values, out);
  return out.head.length;
});
const tokens = Array.from({ length: 64 }, (_, i) => `Bearer ${'x'.repeat(20)}${i}`);
run('dynamic path + 2 headers (authorization, cookie)', (i) => {
  values.clear();
  values.path = paths[i & 63];
  values.addHeader('authorization', tokens[i & 63]);
  values.addHeader('cookie', `session=${i & 1023}`);
  dynamic.encode(values, out);
  return out.head.length;
});
const post = new RequestTemplate({ method: 'POST', authority: 'localhost:8080', path: '/orders', headers: [['content-type', 'application/json']], dynamic: true });
const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify({ id: i, items: [1, 2, 3], note: 'n'.repeat(i) }));
run('POST with a dynamic JSON body', (i) => {
  values.clear();
  values.body = bodies[i & 63];
  post.encode(values, out);
  return out.head.length + (out.body?.length ?? 0);
});
