/**
 * The agent's side of its WebSocket to the controller: dials `<controller>/agent`, says `hello` (protocol version,
 * name, token, clock), validates every message it receives, and notices when the controller refuses it, goes
 * away or stops answering (the controller pings every second).
 */
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { HyperfoilError } from '../lib/index.js';
import { parseControllerMessage, PROTOCOL_VERSION } from '../protocol/index.js';
import type { AgentMessage, ControllerMessage } from '../protocol/index.js';
import type { ControllerChannel } from './agent.js';

export interface WsChannelOptions {
  /** The controller's base URL (`http(s)://host:port`; `ws(s)://` works too). */
  readonly controllerUrl: string;
  readonly name: string;
  readonly token: string;
  /**
   * SHA-256 fingerprint (hex, colons optional) of the controller's TLS certificate: when given, that exact
   * certificate is trusted even if no CA vouches for it (self-signed controllers).
   */
  readonly certSha256?: string;
  /** Silence from the controller after which it is considered gone (default 15 s). */
  readonly controllerTimeoutMs?: number;
  /** Largest message accepted (the benchmark travels in `init`; default 256 MiB). */
  readonly maxPayloadBytes?: number;
}

/** `http://h:p[/]` → `ws://h:p/agent`. */
export function agentEndpoint(controllerUrl: string): string {
  let url: URL;
  try {
    url = new URL(controllerUrl);
  } catch {
    throw new HyperfoilError('BAD_CONTROLLER_URL', `--controller must be a URL such as http://controller:8090, got \`${controllerUrl}\``);
  }
  const schemes: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const scheme = schemes[url.protocol];
  if (!scheme) throw new HyperfoilError('BAD_CONTROLLER_URL', `--controller must be an http(s) URL, got \`${controllerUrl}\``);
  url.protocol = scheme;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/agent`;
  return url.toString();
}

/** Network errors worth retrying (the controller may not listen yet); TLS and HTTP answers are final. */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE']);

function normalizeFingerprint(text: string): string {
  return text.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

/** Why the controller closed the connection, in words for the agent's log. */
function describeClose(code: number, reason: string): string {
  if (code >= 4000 && code < 5000) return `the controller refused this agent: ${reason || `code ${code}`}`;
  if (reason) return `the controller closed the connection: ${reason}`;
  return code === 1006 ? 'the connection to the controller was lost' : `the controller closed the connection (code ${code})`;
}

export class WsControllerChannel implements ControllerChannel {
  private readonly messageListeners: Array<(message: ControllerMessage) => void> = [];
  private readonly closeListeners: Array<(reason: string) => void> = [];
  private closedReason?: string;
  private lastHeardMs = Date.now();
  private readonly watchdog: NodeJS.Timeout;

  private constructor(private readonly ws: WebSocket, private readonly controllerTimeoutMs: number) {
    ws.on('message', (data: Buffer) => this.receive(data));
    ws.on('ping', () => { this.lastHeardMs = Date.now(); });
    ws.on('close', (code: number, reason: Buffer) => this.ended(describeClose(code, reason.toString())));
    ws.on('error', () => { /* followed by close */ });
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastHeardMs > this.controllerTimeoutMs) {
        this.ended(`the controller has not answered for ${Math.round(this.controllerTimeoutMs / 1000)} s`);
        ws.terminate();
      }
    }, 1000);
  }

  /** Opens the connection and sends `hello`; rejects when the controller cannot be reached. */
  static connect(options: WsChannelOptions): Promise<WsControllerChannel> {
    const endpoint = agentEndpoint(options.controllerUrl);
    const pin = options.certSha256 !== undefined ? normalizeFingerprint(options.certSha256) : undefined;
    const ws = new WebSocket(endpoint, {
      maxPayload: options.maxPayloadBytes ?? 256 * 1024 * 1024,
      handshakeTimeout: 10_000,
      // With a pinned certificate the CA chain is not checked; the fingerprint is, once connected and before hello.
      ...(pin !== undefined ? { rejectUnauthorized: false } : {}),
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error & { code?: string }, retryable = RETRYABLE.has(error.code ?? '') || /handshake has timed out/.test(error.message)): void => {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(new HyperfoilError(retryable ? 'CONTROLLER_UNREACHABLE' : 'CONTROLLER_REFUSED',
          `cannot connect to the controller at ${endpoint}: ${error.message}`, { cause: error }));
      };
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => fail(new Error(`it answered HTTP ${res.statusCode} instead of accepting a WebSocket (is this a hyperfoil controller?)`), res.statusCode === 503));
      ws.once('open', () => {
        if (pin !== undefined) {
          const socket = (ws as unknown as { _socket?: TLSSocket })._socket;
          const certificate = socket?.getPeerCertificate?.();
          const actual = certificate?.raw ? createHash('sha256').update(certificate.raw).digest('hex') : '';
          if (actual !== pin) {
            fail(new Error(`its TLS certificate (sha256 ${actual || 'none'}) is not the expected one (${pin})`), false);
            return;
          }
        }
        ws.off('error', fail);
        const channel = new WsControllerChannel(ws, options.controllerTimeoutMs ?? 15_000);
        channel.send({ type: 'hello', version: PROTOCOL_VERSION, name: options.name, token: options.token, agentTimeMs: Date.now() });
        resolve(channel);
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  send(message: AgentMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  onMessage(listener: (message: ControllerMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** Closes on the agent's initiative (after `stop`); close listeners are not called. Resolves once closed. */
  close(): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = 'closed by the agent';
    clearInterval(this.watchdog);
    this.ws.close(1000, 'agent stopped');
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Resolves when the socket is fully closed. */
  whenClosed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  private receive(data: Buffer): void {
    this.lastHeardMs = Date.now();
    if (this.closedReason !== undefined) return;
    let message: ControllerMessage;
    try {
      message = parseControllerMessage(data);
    } catch (error) {
      const reason = `the controller sent an invalid message: ${(error as Error).message}`;
      this.ws.close(4400, reason.slice(0, 120));
      this.ended(reason);
      return;
    }
    for (const listener of this.messageListeners) listener(message);
  }

  private ended(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    clearInterval(this.watchdog);
    for (const listener of this.closeListeners) listener(reason);
  }
}
