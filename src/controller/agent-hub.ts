/**
 * The agent hub: clustered agents dial the controller's REST port at `/agent` (a WebSocket, TLS when the controller
 * has it) and register with `hello`. A connection is accepted only when its first message is a valid `hello` of the
 * same protocol version whose token matches: the per-run token a deployer handed to the agent it started, or the
 * controller-wide token of agents started by hand (those wait, "parked", until a run asks for their name).
 * Anything else is refused with a close reason that says why; nothing an agent sends can crash the controller.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { HyperfoilError } from '../lib/index.js';
import { parseAgentMessage, VersionMismatchError } from '../protocol/index.js';
import type { AgentMessage } from '../protocol/index.js';
import type { AgentConnection } from './agent-connection.js';
import { AgentCloseCode, closeReason, WsAgentConnection } from './agent-hub-connection.js';
import type { Logger } from './rest/index.js';

export const AGENT_PATH = '/agent';
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5000;
/**
 * Bytes a connection may send before its hello is accepted (a hello is well under 1 KB). Counted on the raw socket,
 * so a client that has not proven its token cannot make the controller buffer a large frame.
 */
export const DEFAULT_UNAUTHENTICATED_MAX_BYTES = 16 * 1024;
/** Connections that have not yet sent an accepted hello; more are refused with 503 until some finish. */
export const DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS = 64;

export interface AgentHubOptions {
  /** Silence after which a registered agent is lost (default 5 s; agents send a heartbeat every second). */
  readonly heartbeatTimeoutMs?: number;
  /** How often the hub pings each agent (default 1 s). */
  readonly pingIntervalMs?: number;
  /** How long a new connection has to send its `hello` (default 10 s). */
  readonly helloTimeoutMs?: number;
  /** Token of agents started by hand (the `none` deployer); without it such agents are refused. */
  readonly standingToken?: string;
  /** Largest message accepted from an agent once it is registered (default 64 MiB). */
  readonly maxPayloadBytes?: number;
  /** Bytes accepted from a connection before its hello is accepted (default 16 KiB). */
  readonly unauthenticatedMaxBytes?: number;
  /** Connections allowed to wait for their hello at the same time (default 64). */
  readonly maxUnauthenticatedConnections?: number;
  readonly log?: Logger;
}

/** A random token for one run (or for the controller's hand-started agents): 192 bits, URL-safe. */
export function randomAgentToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  // Digests have equal lengths, so the comparison takes the same time whatever the tokens are.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

interface Expectation {
  readonly token: string;
  readonly resolve: (connection: WsAgentConnection) => void;
  readonly reject: (error: Error) => void;
}

export class AgentHub {
  private readonly wss: WebSocketServer;
  private readonly expectations = new Map<string, Expectation>();
  /** Hand-started agents waiting for a run that names them. */
  private readonly parked = new Map<string, WsAgentConnection>();
  /** Every registered connection, to end them at shutdown and to refuse a second agent of the same name. */
  private readonly live = new Map<string, WsAgentConnection>();
  private readonly sockets = new Set<WebSocket>();
  private readonly log: Logger;
  private readonly heartbeatTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly helloTimeoutMs: number;
  private readonly unauthenticatedMaxBytes: number;
  private readonly maxUnauthenticated: number;
  private unauthenticated = 0;
  private closed = false;

  constructor(private readonly options: AgentHubOptions = {}) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 64 * 1024 * 1024 });
    this.log = options.log ?? ((level, message) => { if (level !== 'info') console.error(`[agent-hub] ${level.toUpperCase()} ${message}`); });
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.pingIntervalMs = options.pingIntervalMs ?? 1000;
    this.helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
    this.unauthenticatedMaxBytes = options.unauthenticatedMaxBytes ?? DEFAULT_UNAUTHENTICATED_MAX_BYTES;
    this.maxUnauthenticated = options.maxUnauthenticatedConnections ?? DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS;
  }

  get standingToken(): string | undefined {
    return this.options.standingToken;
  }

  /** Accepts agents on the server's `/agent` path; other upgrade requests are left to other listeners (or 404). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const path = (req.url ?? '').split('?')[0];
      if (path !== AGENT_PATH) {
        if (server.listenerCount('upgrade') === 1) {
          socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        }
        return;
      }
      if (this.closed) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (this.unauthenticated >= this.maxUnauthenticated) {
        this.log('warn', `refused an agent connection from ${req.socket.remoteAddress ?? '?'}: ${this.unauthenticated} connections are already waiting for their hello`);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, socket));
    });
  }

  /**
   * Waits for the agent `name` to register with `token`. An agent parked with that name and token is taken at once.
   * Rejects when `signal` aborts (deploy timeout, run killed); there is no timeout of its own.
   */
  expect(name: string, token: string, signal?: AbortSignal): Promise<AgentConnection> {
    if (this.closed) return Promise.reject(new HyperfoilError('HUB_CLOSED', 'the controller is shutting down'));
    const parked = this.parked.get(name);
    if (parked && this.options.standingToken !== undefined && sameToken(token, this.options.standingToken)) {
      this.parked.delete(name);
      if (!parked.closed) return Promise.resolve(parked);
    }
    if (this.expectations.has(name)) {
      return Promise.reject(new HyperfoilError('AGENT_BUSY', `agent ${name} is already awaited by another deployment`));
    }
    return new Promise<AgentConnection>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.expectations.get(name) === expectation) this.expectations.delete(name);
        reject(signal?.reason instanceof Error ? signal.reason : new HyperfoilError('DEPLOY_ABORTED', `waiting for agent ${name} was aborted`));
      };
      const expectation: Expectation = {
        token,
        resolve: (connection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject,
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.expectations.set(name, expectation);
    });
  }

  /** Names of hand-started agents waiting for a run. */
  parkedAgents(): string[] {
    return [...this.parked.keys()].sort();
  }

  /** Refuses new agents, ends every connection and rejects every wait. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [name, expectation] of this.expectations) {
      expectation.reject(new HyperfoilError('HUB_CLOSED', `the controller shut down while waiting for agent ${name}`));
    }
    this.expectations.clear();
    for (const connection of this.live.values()) connection.close('the controller is shutting down');
    for (const ws of this.sockets) ws.close(AgentCloseCode.SHUTDOWN, 'the controller is shutting down');
    // Give the agents a moment to complete the closing handshake, then cut whatever is left.
    const deadline = Date.now() + 1000;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  /**
   * Until `authenticated()` is called, counts the bytes arriving on the raw socket (frame headers included) and cuts
   * the connection past the limit: `ws` would otherwise buffer a whole frame of up to `maxPayloadBytes` first.
   */
  private watchUnauthenticated(ws: WebSocket, socket: Duplex, address: string): () => void {
    this.unauthenticated++;
    let receivedBytes = 0;
    const onData = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (receivedBytes > this.unauthenticatedMaxBytes) {
        this.log('warn', `refused an agent connection from ${address}: more than ${this.unauthenticatedMaxBytes} bytes before an accepted hello`);
        release();
        ws.terminate();
      }
    };
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.unauthenticated--;
      socket.off('data', onData);
    };
    socket.on('data', onData);
    ws.once('close', release);
    return release;
  }

  private accept(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    const address = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const authenticated = this.watchUnauthenticated(ws, socket, address);
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', (error) => this.log('info', `agent connection from ${address}: ${error.message}`));
    const refuse = (code: number, reason: string): void => {
      this.log('warn', `refused an agent connection from ${address}: ${reason}`);
      ws.close(code, closeReason(reason));
      setTimeout(() => ws.terminate(), 1000).unref();
    };
    const helloTimer = setTimeout(() => refuse(AgentCloseCode.HELLO_TIMEOUT, `no hello within ${this.helloTimeoutMs} ms`), this.helloTimeoutMs);
    helloTimer.unref();
    ws.once('message', (data: Buffer, isBinary: boolean) => {
      clearTimeout(helloTimer);
      let hello: AgentMessage;
      try {
        hello = parseAgentMessage(data, isBinary);
      } catch (error) {
        if (error instanceof VersionMismatchError) refuse(AgentCloseCode.VERSION_MISMATCH, error.message);
        else refuse(AgentCloseCode.BAD_MESSAGE, `invalid hello: ${(error as Error).message}`);
        return;
      }
      if (hello.type !== 'hello') {
        refuse(AgentCloseCode.BAD_MESSAGE, `the first message must be \`hello\`, got \`${hello.type}\``);
        return;
      }
      this.register(ws, hello, address, Date.now(), refuse, authenticated);
    });
  }

  private register(
    ws: WebSocket,
    hello: Extract<AgentMessage, { type: 'hello' }>,
    address: string,
    receivedMs: number,
    refuse: (code: number, reason: string) => void,
    authenticated: () => void,
  ): void {
    const { name, token } = hello;
    const expectation = this.expectations.get(name);
    const standing = this.options.standingToken;
    const byRun = expectation !== undefined && sameToken(token, expectation.token);
    const byHand = !byRun && standing !== undefined && sameToken(token, standing);
    if (!byRun && !byHand) {
      refuse(AgentCloseCode.UNAUTHORIZED, `invalid token for agent ${name}`);
      return;
    }
    if (this.live.has(name)) {
      refuse(AgentCloseCode.DUPLICATE_AGENT, `an agent named ${name} is already connected`);
      return;
    }
    authenticated();
    const connection: WsAgentConnection = new WsAgentConnection(name, ws, address, {
      heartbeatTimeoutMs: this.heartbeatTimeoutMs, pingIntervalMs: this.pingIntervalMs,
      onEnd: () => this.forget(name, connection),
    });
    this.live.set(name, connection);
    connection.onClose((reason) => this.log('info', `agent ${name} (${address}) left: ${reason}`));
    void connection.measureClock(hello.agentTimeMs, receivedMs).then(() => {
      if (connection.closed) return;
      this.log('info', `agent ${name} registered from ${address} (clock offset ${Math.round(connection.clockOffsetMs)} ms, ` +
        `round trip ${connection.roundTripMs.toFixed(1)} ms)`);
      const waiting = this.expectations.get(name);
      if (waiting && (byRun ? waiting === expectation : sameToken(token, waiting.token))) {
        this.expectations.delete(name);
        waiting.resolve(connection);
      } else if (byHand) {
        this.parked.set(name, connection);
      } else {
        // The run that expected it gave up while its clock was measured.
        connection.close('no run is waiting for this agent any more');
      }
    });
  }

  private forget(name: string, connection: WsAgentConnection): void {
    if (this.live.get(name) === connection) this.live.delete(name);
    if (this.parked.get(name) === connection) this.parked.delete(name);
  }
}
