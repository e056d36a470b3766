// Frame-level fuzzer: a raw h2c server answers each stream with a random script (valid responses,
// CONTINUATION, trailers, padding, bad HPACK, DATA on idle streams, window overflows, huge header
// blocks, RST_STREAM, GOAWAY, garbage, silence) written in random splits. The client must never
// throw, and every request must end in exactly one outcome, counted as success or a failure kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpConnectionPool } from '../pool.js';
import { normalizePoolSize } from '../pool-config.js';
import { RequestTemplate } from '../request-encoder.js';
import type { FailureKind, HttpConnection, PoolWaiter, ResponseHandler } from '../handler.js';
import { mulberry32 } from '../../lib/prng.js';
import { frame, scriptedH2cServer, u32 } from './h2c-server.test-support.js';
import {
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_RST_STREAM,
  FRAME_WINDOW_UPDATE,
} from './frames.js';
import { encodeFields } from './hpack-encoder.js';

const OK_HEAD = encodeFields([[':status', '200'], ['content-type', 'text/plain'], ['x-fuzz', 'yes']]);

/** The frames one script sends for `id`; `null` = say nothing (the request times out). */
function script(kind: number, id: number, random: () => number): Buffer | null {
  const body = Buffer.alloc(Math.floor(random() * 3000), 0x61);
  switch (kind) {
    case 0: // plain response
      return Buffer.concat([frame(FRAME_HEADERS, FLAG_END_HEADERS, id, OK_HEAD), frame(FRAME_DATA, FLAG_END_STREAM, id, body)]);
    case 1: {
      // header block split over CONTINUATION frames, padded DATA
      const cut = 1 + Math.floor(random() * (OK_HEAD.length - 1));
      const padded = Buffer.concat([Buffer.from([3]), body, Buffer.alloc(3)]);
      return Buffer.concat([
        frame(FRAME_HEADERS, 0, id, OK_HEAD.subarray(0, cut)),
        frame(FRAME_CONTINUATION, FLAG_END_HEADERS, id, OK_HEAD.subarray(cut)),
        frame(FRAME_DATA, FLAG_PADDED | FLAG_END_STREAM, id, padded),
      ]);
    }
    case 2: // 100 Continue, then the response with trailers
      return Buffer.concat([
        frame(FRAME_HEADERS, FLAG_END_HEADERS, id, encodeFields([[':status', '100']])),
        frame(FRAME_HEADERS, FLAG_END_HEADERS, id, OK_HEAD),
        frame(FRAME_DATA, 0, id, body),
        frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, encodeFields([['x-trailer', 'done']])),
      ]);
    case 3: // bad HPACK: an index outside both tables
      return frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, Buffer.from([0xff, 0x80, 0x01]));
    case 4: // DATA on a stream that was never opened
      return frame(FRAME_DATA, FLAG_END_STREAM, id + 1000, body);
    case 5: // window overflow: two maximal increments on the connection
      return Buffer.concat([frame(FRAME_WINDOW_UPDATE, 0, 0, u32(0x7fffffff)), frame(FRAME_WINDOW_UPDATE, 0, 0, u32(0x7fffffff))]);
    case 6: {
      // a header block larger than the client accepts, over CONTINUATION frames
      const chunk = Buffer.alloc(16_000, 0x41);
      const parts = [frame(FRAME_HEADERS, 0, id, chunk)];
      for (let i = 0; i < 5; i++) parts.push(frame(FRAME_CONTINUATION, i === 4 ? FLAG_END_HEADERS : 0, id, chunk));
      return Buffer.concat(parts);
    }
    case 7: // the server resets the stream
      return frame(FRAME_RST_STREAM, 0, id, u32(0x2));
    case 8: // GOAWAY accepting only the streams before this one
      return frame(FRAME_GOAWAY, 0, 0, Buffer.concat([u32(id - 2), u32(0)]));
    case 9: // garbage: a frame of random type and bytes on this stream
      return frame(Math.floor(random() * 12), Math.floor(random() * 256), id, Buffer.from(Array.from({ length: 20 }, () => Math.floor(random() * 256))));
    case 10: // a PING, then a response without :status
      return Buffer.concat([frame(FRAME_PING, 0, 0, Buffer.alloc(8, 1)), frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, encodeFields([['x-no-status', '1']]))]);
    case 11: // DATA before HEADERS
      return frame(FRAME_DATA, FLAG_END_STREAM, id, body);
    default:
      return null;
  }
}

const SCRIPTS = 13;

class Counting implements ResponseHandler, PoolWaiter {
  readonly wantsHeaders = true;
  readonly wantsBody = true;
  outcomes = 0;
  ok = 0;
  readonly failures = new Map<FailureKind, number>();
  private readonly request = new RequestTemplate({ method: 'GET', authority: 'localhost', path: '/fuzz' }).fixed!;
  private remaining: number;
  private readonly pool: HttpConnectionPool;
  private readonly finished: () => void;
  private sent = 0;
  private current = 0;

  constructor(pool: HttpConnectionPool, total: number, finished: () => void) {
    this.pool = pool;
    this.remaining = total;
    this.finished = finished;
  }
  get sentCount(): number {
    return this.sent;
  }
  next(): void {
    if (this.remaining === 0) {
      this.finished();
      return;
    }
    this.remaining--;
    this.current = this.sent++;
    const c = this.pool.acquire(this);
    if (c !== null) c.send(this.request, this, 100);
  }
  onConnectionAvailable(connection: HttpConnection): void {
    connection.send(this.request, this, 100);
  }
  onConnectionFailed(kind: FailureKind): void {
    this.count(kind);
  }
  onStatus(): void {}
  onHeader(): void {}
  onHeadersEnd(): void {}
  onBodyPart(): void {}
  onComplete(): void {
    this.ok++;
    this.done();
  }
  onFailure(kind: FailureKind): void {
    this.count(kind);
  }
  private count(kind: FailureKind): void {
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
    this.done();
  }
  private done(): void {
    this.outcomes++;
    assert.equal(this.outcomes, this.current + 1, 'one outcome per request');
    setImmediate(() => this.next());
  }
}

test("random frame scripts in random splits: every request gets exactly one counted outcome", async (t) => {
  const random = mulberry32(7);
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type !== FRAME_HEADERS) return;
    const bytes = script(Math.floor(random() * SCRIPTS), f.streamId, random);
    if (bytes === null) return;
    // Random splits, some written at once and some a little later.
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, 1 + Math.floor(random() * 200));
      const piece = bytes.subarray(at, at + n);
      if (random() < 0.2) setTimeout(() => socket.writable && socket.write(piece), 1);
      else socket.write(piece);
      at += n;
    }
  });
  const pool = new HttpConnectionPool({
    authority: `localhost:${server.port}`,
    host: '127.0.0.1',
    port: server.port,
    secure: false,
    allowHttp1x: false,
    allowHttp2: true,
    maxHttp2Streams: 1,
    size: normalizePoolSize(1),
    retryInitialMs: 5,
    retryMaxMs: 20,
  });
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => {
    uncaught.push(e);
  };
  process.on('uncaughtException', onUncaught);
  try {
    await new Promise<void>((resolve, reject) => pool.start((e) => (e ? reject(e) : resolve())));
    const total = 250;
    const runner = await new Promise<Counting>((resolve) => {
      const c: Counting = new Counting(pool, total, () => resolve(c));
      c.next();
    });
    t.diagnostic(`ok ${runner.ok}, failures ${JSON.stringify([...runner.failures])}, connections opened ${pool.stats.connectionsOpened}`);
    assert.deepEqual(uncaught, []);
    assert.equal(runner.outcomes, total);
    let failed = 0;
    for (const n of runner.failures.values()) failed += n;
    assert.equal(runner.ok + failed, total);
    // Each family of script shows up in the counts (13 scripts, 250 requests: each is drawn ~19 times).
    assert.ok(runner.ok > 15, `successes: ${runner.ok}`);
    assert.ok((runner.failures.get('parse') ?? 0) > 15, `parse failures: ${JSON.stringify([...runner.failures])}`);
    assert.ok((runner.failures.get('reset') ?? 0) > 5, `resets: ${JSON.stringify([...runner.failures])}`);
    assert.ok((runner.failures.get('timeout') ?? 0) > 5, `timeouts: ${JSON.stringify([...runner.failures])}`);
    assert.equal(pool.stats.inFlight.current, 0);
  } finally {
    process.off('uncaughtException', onUncaught);
    pool.shutdown();
    await server.close();
  }
});
