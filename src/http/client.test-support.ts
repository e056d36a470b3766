// Test helpers: a recording ResponseHandler and PoolWaiter with promises, and small servers.

import net from 'node:net';
import { once } from 'node:events';
import type { Http1Connection } from './connection.js';
import type { FailureKind, PoolWaiter, ResponseHandler } from './handler.js';

export interface Outcome {
  ok: boolean;
  status: number;
  headers: [string, string][];
  body: string;
  failure: FailureKind | null;
  error: Error | null;
  headAtNs: number;
  completedAtNs: number;
  receivedBytes: number;
}

export class RecordingHandler implements ResponseHandler {
  wantsHeaders = true;
  wantsBody = true;
  readonly done: Promise<Outcome>;
  outcome: Outcome | null = null;
  throwOn: 'status' | 'body' | 'complete' | null = null;
  private status = 0;
  private headers: [string, string][] = [];
  private body: Buffer[] = [];
  private headAtNs = 0;
  private resolve!: (o: Outcome) => void;
  private calls = 0;

  constructor() {
    this.done = new Promise((r) => (this.resolve = r));
  }

  onStatus(status: number, headAtNs: number): void {
    this.status = status;
    this.headAtNs = headAtNs;
    if (this.throwOn === 'status') throw new Error('handler failure in onStatus');
  }
  onHeader(name: string, value: string): void {
    this.headers.push([name, value]);
  }
  onHeadersEnd(): void {}
  onBodyPart(buf: Buffer, offset: number, length: number): void {
    if (this.throwOn === 'body') throw new Error('handler failure in onBodyPart');
    this.body.push(Buffer.from(buf.subarray(offset, offset + length)));
  }
  onComplete(completedAtNs: number, receivedBytes: number): void {
    this.finish({ ok: true, status: this.status, headers: this.headers, body: Buffer.concat(this.body).toString(), failure: null, error: null, headAtNs: this.headAtNs, completedAtNs, receivedBytes });
    if (this.throwOn === 'complete') throw new Error('handler failure in onComplete');
  }
  onFailure(kind: FailureKind, error: Error): void {
    this.finish({ ok: false, status: this.status, headers: this.headers, body: '', failure: kind, error, headAtNs: 0, completedAtNs: 0, receivedBytes: 0 });
  }
  private finish(o: Outcome): void {
    if (++this.calls > 1) throw new Error(`handler got a second outcome: ${JSON.stringify(o.failure)}`);
    this.outcome = o;
    this.resolve(o);
  }
  header(name: string): string | undefined {
    return this.outcome?.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  }
}

export type WaiterResult = { connection: Http1Connection; at: number } | { failure: FailureKind; error: Error; at: number };

export class RecordingWaiter implements PoolWaiter {
  readonly done: Promise<WaiterResult>;
  result: WaiterResult | null = null;
  /** Called with the connection inside onConnectionAvailable (e.g. to send at once). */
  onAvailable: ((c: Http1Connection) => void) | null = null;
  private resolve!: (r: WaiterResult) => void;

  constructor() {
    this.done = new Promise((r) => (this.resolve = r));
  }
  onConnectionAvailable(connection: Http1Connection): void {
    if (this.result !== null) throw new Error('waiter called twice');
    this.result = { connection, at: Date.now() };
    this.onAvailable?.(connection);
    this.resolve(this.result);
  }
  onConnectionFailed(failure: FailureKind, error: Error): void {
    if (this.result !== null) throw new Error('waiter called twice');
    this.result = { failure, error, at: Date.now() };
    this.resolve(this.result);
  }
}

/** A raw TCP server; `onConnection` gets every socket. Closes all sockets on `close()`. */
export async function rawServer(onConnection: (socket: net.Socket) => void): Promise<{ port: number; sockets: Set<net.Socket>; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Calls `onRequest(socket, head)` for each complete request head received on a socket (bodies are not expected). */
export function onRequests(socket: net.Socket, onRequest: (head: string) => void): void {
  let buffered = '';
  socket.on('data', (d: Buffer) => {
    buffered += d.toString('latin1');
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      onRequest(head);
    }
  });
}

/** A free port on 127.0.0.1 with nothing listening (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export function okResponse(body: string, extraHeaders = ''): string {
  return `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `condition` every 5 ms until true or `timeoutMs` passed; returns its last value. */
export async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await delay(5);
  }
  return true;
}
