/**
 * The controller's side of one agent over a WebSocket: every message is validated, the agent is watched (it sends
 * a heartbeat every second and answers the controller's pings; 5 s of silence means it is lost, which also
 * catches an agent frozen with SIGSTOP, whose TCP connection stays open), and its clock offset is measured when it
 * registers and refined by every message stamped with the agent's clock (ClockEstimate).
 */
import type { WebSocket } from 'ws';
import { parseAgentMessage, ProtocolError } from '../protocol/index.js';
import type { AgentMessage, ControllerMessage } from '../protocol/index.js';
import type { AgentConnection } from './agent-connection.js';
import { ClockEstimate } from './clock-estimate.js';

/** WebSocket close codes the hub and its connections use (4000–4999 are free for applications). */
export const AgentCloseCode = {
  NORMAL: 1000,
  VERSION_MISMATCH: 4001,
  UNAUTHORIZED: 4003,
  UNKNOWN_AGENT: 4004,
  DUPLICATE_AGENT: 4009,
  BAD_MESSAGE: 4400,
  /** The run declared the agent failed: a message that does not fit the run, or a command not obeyed in time. */
  AGENT_FAILED: 4422,
  HELLO_TIMEOUT: 4408,
  LOST: 4410,
  SHUTDOWN: 4503,
} as const;

export interface WsAgentConnectionOptions {
  /** Silence after which the agent is declared lost. */
  readonly heartbeatTimeoutMs: number;
  /** How often the controller pings the agent (and checks the silence). */
  readonly pingIntervalMs: number;
  /** Called once when the connection ends, whoever ended it. */
  readonly onEnd?: () => void;
}

/** Messages kept for a registered agent that no run has taken yet. */
const MAX_PENDING_MESSAGES = 1000;

/** A WebSocket close reason is at most 123 bytes. */
export function closeReason(text: string): string {
  const buffer = Buffer.from(text);
  return buffer.length <= 123 ? text : `${buffer.subarray(0, 120).toString().replace(/\uFFFD+$/, '')}...`;
}

export class WsAgentConnection implements AgentConnection {
  readonly address: string;
  /** Agent clock minus controller clock, from every stamped message and every ping round trip. */
  private readonly clock = new ClockEstimate();
  private pingSentMs = -1;
  private readonly messageListeners: Array<(message: AgentMessage) => void> = [];
  private readonly closeListeners: Array<(reason: string) => void> = [];
  /** Messages that arrived before anyone listened (between registration and the run taking the connection). */
  private pending: AgentMessage[] = [];
  private closedReason?: string;
  private lastHeardMs = Date.now();
  private readonly watchdog: NodeJS.Timeout;
  private closing = false;

  constructor(
    readonly name: string,
    private readonly ws: WebSocket,
    remoteAddress: string,
    private readonly options: WsAgentConnectionOptions,
  ) {
    this.address = remoteAddress;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.lastHeardMs = Date.now();
      if (this.pingSentMs >= 0) this.clock.roundTrip(performance.now() - this.pingSentMs);
      this.pingSentMs = -1;
    });
    ws.on('close', (code: number, reason: Buffer) => {
      const text = reason.toString();
      this.lost(`the connection closed${text ? `: ${text}` : ` unexpectedly (code ${code})`}`);
    });
    this.watchdog = setInterval(() => this.check(), options.pingIntervalMs);
    this.watchdog.unref();
  }

  get clockOffsetMs(): number {
    return this.clock.offsetMs;
  }

  get roundTripMs(): number {
    return this.clock.roundTripMs;
  }

  /**
   * Takes the hello's agent time and measures one round trip with a ping, so that the offset is known at
   * registration; later messages refine it (ClockEstimate). Resolves after the pong, or after `timeoutMs`.
   */
  measureClock(agentTimeMs: number, helloReceivedMs: number, timeoutMs = 2000): Promise<void> {
    this.clock.stamped(agentTimeMs, helloReceivedMs);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.ws.off('pong', finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.ws.on('pong', finish);
      this.ping();
    });
  }

  private ping(): void {
    try {
      this.pingSentMs = performance.now();
      this.ws.ping();
    } catch {
      // Closing already; the close event reports it.
    }
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  send(message: ControllerMessage): void {
    if (this.closedReason !== undefined || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(message));
  }

  onMessage(listener: (message: AgentMessage) => void): void {
    this.messageListeners.push(listener);
    const pending = this.pending;
    this.pending = [];
    for (const message of pending) listener(message);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
    const reason = this.closedReason;
    if (reason !== undefined && !this.closing) setImmediate(() => listener(reason));
  }

  /** Ends the connection on the controller's initiative; the close listeners are not called. */
  close(reason = 'the run ended', how: 'ended' | 'failed' = 'ended'): void {
    if (this.closedReason !== undefined) return;
    this.closing = true;
    this.closedReason = reason;
    clearInterval(this.watchdog);
    this.options.onEnd?.();
    this.end(how === 'failed' ? AgentCloseCode.AGENT_FAILED : AgentCloseCode.NORMAL, reason);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    const receivedMs = Date.now();
    this.lastHeardMs = receivedMs;
    if (this.closedReason !== undefined) return;
    try {
      const message = parseAgentMessage(data, isBinary);
      if ('agentTimeMs' in message && message.agentTimeMs !== undefined) this.clock.stamped(message.agentTimeMs, receivedMs);
      if (this.messageListeners.length === 0 && message.type !== 'heartbeat') {
        // A working agent says nothing but heartbeats until a run sends it `init`.
        if (this.pending.length >= MAX_PENDING_MESSAGES) throw new ProtocolError(`more than ${MAX_PENDING_MESSAGES} messages before any run took the agent`);
        this.pending.push(message);
      }
      for (const listener of this.messageListeners) listener(message);
    } catch (error) {
      // Whatever the message did wrong (a listener that throws included), it ends this agent, never the process.
      const reason = `sent an invalid message: ${error instanceof Error ? error.message : String(error)}`;
      this.end(AgentCloseCode.BAD_MESSAGE, reason);
      this.lost(reason);
    }
  }

  private check(): void {
    const silentMs = Date.now() - this.lastHeardMs;
    if (silentMs > this.options.heartbeatTimeoutMs) {
      const limitMs = this.options.heartbeatTimeoutMs;
      const reason = `no heartbeat for ${limitMs % 1000 === 0 ? `${limitMs / 1000} s` : `${limitMs} ms`}`;
      this.end(AgentCloseCode.LOST, reason);
      this.lost(reason);
      return;
    }
    this.ping();
  }

  private end(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, closeReason(reason));
      // A frozen or vanished peer never completes the closing handshake.
      setTimeout(() => this.ws.terminate(), 1000).unref();
    }
  }

  private lost(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    clearInterval(this.watchdog);
    this.options.onEnd?.();
    this.pending = [];
    for (const listener of this.closeListeners) listener(reason);
  }
}
