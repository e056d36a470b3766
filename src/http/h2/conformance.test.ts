// h2spec-style checks of the client side that matter to a load driver, against a scripted raw h2c server
// that parses what the client sends with our frame reader: the preface and first frames, SETTINGS and PING
// acknowledgements, header blocks split over CONTINUATION with 1xx and trailers, request bodies held to the
// server's flow-control window, and the server's stream limit.

import { test } from 'node:test';
import type net from 'node:net';
import assert from 'node:assert/strict';
import { HttpConnectionPool } from '../pool.js';
import { normalizePoolSize } from '../pool-config.js';
import { RequestTemplate, type EncodedRequest } from '../request-encoder.js';
import { RecordingHandler, RecordingWaiter, eventually } from '../client.test-support.js';
import { frame, scriptedH2cServer, u32 } from './h2c-server.test-support.js';
import {
  CLIENT_PREFACE,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  readUint32,
} from './frames.js';
import { encodeFields } from './hpack-encoder.js';
import { H2Connection, CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES } from './connection.js';

function h2cPool(port: number, maxStreams = 100): HttpConnectionPool {
  return new HttpConnectionPool({
    authority: `localhost:${port}`,
    host: '127.0.0.1',
    port,
    secure: false,
    allowHttp1x: false,
    allowHttp2: true,
    maxHttp2Streams: maxStreams,
    size: normalizePoolSize(1),
  });
}

function start(p: HttpConnectionPool): Promise<void> {
  return new Promise((resolve, reject) => p.start((e) => (e ? reject(e) : resolve())));
}

async function send(p: HttpConnectionPool, request: EncodedRequest, handler = new RecordingHandler()): Promise<RecordingHandler> {
  const waiter = new RecordingWaiter();
  const c = p.acquire(waiter);
  const connection = c ?? (await waiter.done.then((r) => ('connection' in r ? r.connection : null)));
  assert.ok(connection !== null);
  connection.send(request, handler, 5000);
  return handler;
}

function connectionOf(p: HttpConnectionPool): H2Connection {
  const c = (p as unknown as { all: Set<unknown> }).all.values().next().value;
  assert.ok(c instanceof H2Connection);
  return c;
}

test('the client starts with the preface, SETTINGS (no push, a large stream window) and a large connection WINDOW_UPDATE; it acknowledges SETTINGS and PING', async () => {
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type === FRAME_SETTINGS && (f.flags & FLAG_ACK) !== 0) socket.write(frame(FRAME_PING, 0, 0, Buffer.from('pingpong')));
  });
  const p = h2cPool(server.port);
  try {
    await start(p);
    assert.ok(await eventually(() => server.frames.some((f) => f.type === FRAME_PING)), 'PING acknowledged');
    assert.equal(server.preface().toString('latin1'), CLIENT_PREFACE.toString('latin1'));
    const [first, second] = server.frames;
    assert.equal(first!.type, FRAME_SETTINGS);
    const sent = new Map<number, number>();
    for (let i = 0; i < first!.payload.length; i += 6) sent.set(first!.payload.readUInt16BE(i), readUint32(first!.payload, i + 2));
    assert.equal(sent.get(SETTINGS_ENABLE_PUSH), 0);
    assert.equal(sent.get(SETTINGS_INITIAL_WINDOW_SIZE), STREAM_WINDOW_BYTES);
    assert.equal(second!.type, FRAME_WINDOW_UPDATE);
    assert.equal(second!.streamId, 0);
    assert.equal(readUint32(second!.payload, 0), CONNECTION_WINDOW_BYTES - 65_535);
    assert.ok(server.frames.some((f) => f.type === FRAME_SETTINGS && f.flags === FLAG_ACK), 'SETTINGS acknowledged');
    const ping = server.frames.find((f) => f.type === FRAME_PING)!;
    assert.equal(ping.flags, FLAG_ACK);
    assert.equal(ping.payload.toString(), 'pingpong');
  } finally {
    p.shutdown();
    await server.close();
  }
});

test('a response head over HEADERS + CONTINUATION after a 103, with a body and trailers, arrives whole', async () => {
  const head = encodeFields([[':status', '200'], ['x-one', '1'], ['x-two', 'two'.repeat(50)], ['content-type', 'text/plain']]);
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type !== FRAME_HEADERS) return;
    const id = f.streamId;
    socket.write(Buffer.concat([
      frame(FRAME_HEADERS, FLAG_END_HEADERS, id, encodeFields([[':status', '103'], ['link', '</a.css>']])),
      frame(FRAME_HEADERS, 0, id, head.subarray(0, 5)),
      frame(FRAME_CONTINUATION, 0, id, head.subarray(5, 20)),
      frame(FRAME_CONTINUATION, FLAG_END_HEADERS, id, head.subarray(20)),
      frame(FRAME_DATA, 0, id, Buffer.from('hello ')),
      frame(FRAME_DATA, 0, id, Buffer.from('world')),
      frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, encodeFields([['x-checksum', 'abc']])),
    ]));
  });
  const p = h2cPool(server.port);
  try {
    await start(p);
    const handler = await send(p, new RequestTemplate({ method: 'GET', authority: p.authority, path: '/' }).fixed!);
    const outcome = await handler.done;
    assert.equal(outcome.ok, true, String(outcome.error));
    assert.equal(outcome.status, 200);
    assert.deepEqual(outcome.headers, [['x-one', '1'], ['x-two', 'two'.repeat(50)], ['content-type', 'text/plain']]);
    assert.equal(outcome.body, 'hello world');
  } finally {
    p.shutdown();
    await server.close();
  }
});

test('a request body waits for the server\'s flow-control window and goes on with its WINDOW_UPDATEs', async () => {
  let received = 0;
  const server = await scriptedH2cServer((f, socket, all) => {
    if (f.type !== FRAME_DATA) return;
    received += f.payload.length;
    if ((f.flags & FLAG_END_STREAM) !== 0) {
      socket.write(Buffer.concat([frame(FRAME_HEADERS, FLAG_END_HEADERS, f.streamId, encodeFields([[':status', '200']])), frame(FRAME_DATA, FLAG_END_STREAM, f.streamId, Buffer.from(String(received)))]));
      return;
    }
    // Release 100 more bytes on the stream and on the connection a little later, each time a window is used up.
    const used = all.filter((x) => x.type === FRAME_DATA).reduce((n, x) => n + x.payload.length, 0);
    if (used % 100 === 0) setTimeout(() => socket.write(Buffer.concat([frame(FRAME_WINDOW_UPDATE, 0, f.streamId, u32(100)), frame(FRAME_WINDOW_UPDATE, 0, 0, u32(100))])), 5);
  }, [SETTINGS_INITIAL_WINDOW_SIZE, 100]);
  const p = h2cPool(server.port);
  try {
    await start(p);
    // The server's initial stream window is 100 bytes: the body goes out 100 bytes per WINDOW_UPDATE.
    const body = Buffer.alloc(1000, 0x61);
    const handler = await send(p, new RequestTemplate({ method: 'POST', authority: p.authority, path: '/up', body }).fixed!);
    const outcome = await handler.done;
    assert.equal(outcome.ok, true, String(outcome.error));
    assert.equal(outcome.body, '1000');
    const data = server.frames.filter((f) => f.type === FRAME_DATA);
    assert.ok(data.every((f) => f.payload.length <= 100), 'no DATA frame beyond the window');
    assert.ok(data.length >= 10);
  } finally {
    p.shutdown();
    await server.close();
  }
});

test('the server\'s SETTINGS_MAX_CONCURRENT_STREAMS lowers the streams the pool hands out', async () => {
  let open = 0;
  let maxOpen = 0;
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type !== FRAME_HEADERS) return;
    maxOpen = Math.max(maxOpen, ++open);
    setTimeout(() => {
      open--;
      socket.write(frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, f.streamId, encodeFields([[':status', '204']])));
    }, 20);
  }, [SETTINGS_MAX_CONCURRENT_STREAMS, 2]);
  const p = h2cPool(server.port, 10);
  try {
    await start(p);
    assert.equal(connectionOf(p).pipeliningLimit, 2);
    const request = new RequestTemplate({ method: 'GET', authority: p.authority, path: '/' }).fixed!;
    const handlers = await Promise.all(Array.from({ length: 6 }, () => send(p, request)));
    const outcomes = await Promise.all(handlers.map((h) => h.done));
    assert.ok(outcomes.every((o) => o.ok && o.status === 204));
    assert.equal(maxOpen, 2);
  } finally {
    p.shutdown();
    await server.close();
  }
});

test('a stream that stays open while many others come and go keeps its response (stream ids skip taken ring entries)', async () => {
  let held: { socket: net.Socket; id: number } | null = null;
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type !== FRAME_HEADERS) return;
    if (held === null) {
      held = { socket, id: f.streamId };
      return;
    }
    socket.write(frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, f.streamId, encodeFields([[':status', '204']])));
  });
  // Two streams per connection: the ring of stream ids has 4 entries, so later ids meet the held stream's entry.
  const p = h2cPool(server.port, 2);
  try {
    await start(p);
    const slow = await send(p, new RequestTemplate({ method: 'GET', authority: p.authority, path: '/slow' }).fixed!);
    const request = new RequestTemplate({ method: 'GET', authority: p.authority, path: '/fast' }).fixed!;
    for (let i = 0; i < 12; i++) assert.equal((await (await send(p, request)).done).status, 204);
    const h = held as { socket: net.Socket; id: number } | null;
    assert.ok(h !== null);
    h.socket.write(Buffer.concat([frame(FRAME_HEADERS, FLAG_END_HEADERS, h.id, encodeFields([[':status', '200']])), frame(FRAME_DATA, FLAG_END_STREAM, h.id, Buffer.from('late'))]));
    const outcome = await slow.done;
    assert.equal(outcome.body, 'late');
    const ids = server.frames.filter((f) => f.type === FRAME_HEADERS).map((f) => f.streamId);
    assert.equal(new Set(ids).size, ids.length, 'no stream id used twice');
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'ids increase');
    assert.ok(ids.some((id, i) => i > 0 && id - ids[i - 1]! > 2), 'some ids were skipped');
  } finally {
    p.shutdown();
    await server.close();
  }
});

test('a response header value with CR, LF or NUL makes the response malformed: the request fails, no handler sees the value', async () => {
  const server = await scriptedH2cServer((f, socket) => {
    if (f.type !== FRAME_HEADERS) return;
    socket.write(frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, f.streamId,
      encodeFields([[':status', '200'], ['set-cookie', 'a=1\r\nX-Evil: 1']])));
  });
  const p = h2cPool(server.port);
  try {
    await start(p);
    const handler = await send(p, new RequestTemplate({ method: 'GET', authority: p.authority, path: '/' }).fixed!);
    const outcome = await handler.done;
    assert.equal(outcome.ok, false);
    assert.match(String(outcome.error), /set-cookie has a CR, LF or NUL in its value/);
    assert.deepEqual(outcome.headers, []);
  } finally {
    p.shutdown();
    await server.close();
  }
});
