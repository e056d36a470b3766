/**
 * A real clustered controller process (`hyperfoil controller --deployer none`) and raw WebSocket clients that speak
 * the agent protocol the way a test says: obediently by default, or with any message a test wants to try on it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ControllerMessage } from '../../src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';
import { encodeSnapshot, StatsSnapshot } from '../../src/stats/index.js';
import { startCli } from './cli.js';
import type { CliResult } from './cli.js';
import { isAlive } from './cluster.js';

export const AGENT_TOKEN = 'agent-peer-test-token';

export interface ControllerProcess {
  readonly url: string;
  readonly pid: number;
  readonly rootDir: string;
  /** What the process printed so far (stdout and stderr). */
  output(): string;
  readonly exited: Promise<CliResult>;
  alive(): boolean;
  /** SIGKILL if it still runs (test clean-up). */
  kill(): Promise<void>;
}

/** `hyperfoil controller --deployer none` on a free port of 127.0.0.1, with `extraArgs`. */
export async function startControllerProcess(extraArgs: readonly string[] = []): Promise<ControllerProcess> {
  const rootDir = mkdtempSync(join(tmpdir(), 'hf-agent-peer-'));
  const { child, result } = startCli(['controller', '--deployer', 'none', '--agent-token', AGENT_TOKEN, '--port', '0', '--root-dir', rootDir, ...extraArgs]);
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the controller did not start within 20 s:\n${printed}`)), 20_000);
    const look = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', look);
    void result.then(() => reject(new Error(`the controller exited at start:\n${printed}`)));
  });
  const pid = child.pid!;
  return {
    url, pid, rootDir, exited: result,
    output: () => printed,
    alive: () => child.exitCode === null && child.signalCode === null && isAlive(pid),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await result;
    },
  };
}

export async function rest(url: string, path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, text: await response.text() };
}

export interface RunView {
  id: string;
  started?: number;
  completed: boolean;
  cancelled: boolean;
  errors: string[];
  agents: Array<{ name: string; status: string }>;
  phases: Array<{ name: string; status: string }>;
}

/** Uploads `yaml` and starts it; returns the run id. */
export async function startRun(url: string, yaml: string): Promise<string> {
  const name = /^name: (\S+)/m.exec(yaml)![1]!;
  const upload = await rest(url, '/benchmark', { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: yaml });
  if (upload.status >= 300) throw new Error(`upload answered ${upload.status}: ${upload.text}`);
  const started = await rest(url, `/benchmark/${name}/start`);
  if (started.status !== 202) throw new Error(`start answered ${started.status}: ${started.text}`);
  return (JSON.parse(started.text) as { id: string }).id;
}

export async function runView(url: string, id: string): Promise<RunView> {
  const answer = await rest(url, `/run/${id}`);
  if (answer.status !== 200) throw new Error(`GET /run/${id} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text) as RunView;
}

/** Polls the run until it has completed; fails after `timeoutMs`. Returns the completed run and how long it took. */
export async function untilCompleted(url: string, id: string, timeoutMs: number): Promise<{ run: RunView; tookMs: number }> {
  const startMs = Date.now();
  for (;;) {
    const run = await runView(url, id);
    if (run.completed) return { run, tookMs: Date.now() - startMs };
    if (Date.now() - startMs > timeoutMs) throw new Error(`run ${id} did not complete within ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * After a run that went wrong: the process still runs, and a new run with one obedient agent `a` starts and
 * completes without errors (the controller was not left busy or wedged).
 */
export async function assertCleanRunWorks(controller: ControllerProcess, name: string): Promise<void> {
  if (!controller.alive()) throw new Error(`the controller process exited:\n${controller.output().slice(-2000)}`);
  const peer = await AgentPeer.join(controller.url, 'a');
  try {
    const id = await startRun(controller.url, benchmarkYaml(name, ['a'], 100));
    const { run } = await untilCompleted(controller.url, id, 10_000);
    if (run.errors.length > 0 || run.cancelled) throw new Error(`a clean run after the hostile ones failed: ${JSON.stringify(run)}`);
  } finally {
    peer.close();
  }
}

/** A benchmark whose agents the test plays: one phase of `durationMs`, nothing really sent anywhere. */
export function benchmarkYaml(name: string, agents: readonly string[], durationMs = 1000): string {
  return [
    `name: ${name}`, `agents: [${agents.join(', ')}]`, 'http:', '  host: http://127.0.0.1:9', 'phases:', '- main:', '    constantRate:',
    '      usersPerSec: 1', `      duration: ${durationMs}ms`, '      scenario: [{s: [{httpRequest: {GET: /, metric: m}}]}]',
  ].join('\n');
}

/** A valid encoded snapshot of `requests` requests, base64. */
export function snapshotBase64(requests: number, startMs = Date.now()): string {
  const snapshot = new StatsSnapshot('int32').setInterval(startMs, startMs + 1000);
  for (let i = 0; i < requests; i++) snapshot.recordResponse(1_000_000 + i);
  snapshot.requestCount = requests;
  return encodeSnapshot(snapshot).toString('base64');
}

export type Reply = (message: ControllerMessage, peer: AgentPeer) => boolean;

/**
 * One agent played by the test. It answers like a working agent (ready on init, each phase command with the status
 * it asks for, statistics complete when terminated, stopped on stop, a heartbeat every second) unless `reply`
 * handles the message first (returns true).
 */
export class AgentPeer {
  readonly received: ControllerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private heartbeat?: NodeJS.Timeout;
  private waiters: Array<{ type: string; resolve: (m: ControllerMessage) => void }> = [];

  private constructor(readonly name: string, readonly ws: WebSocket, private readonly reply: Reply) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => {
      if (this.heartbeat) clearInterval(this.heartbeat);
      resolve({ code, reason: reason.toString() });
    }));
    ws.on('message', (data: Buffer) => this.receive(JSON.parse(data.toString()) as ControllerMessage));
    ws.on('error', () => {});
  }

  /** Dials the controller and says hello; resolves once the socket is open and the hello sent. */
  static async join(url: string, name: string, reply: Reply = () => false, options: { heartbeat?: boolean } = {}): Promise<AgentPeer> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const peer = new AgentPeer(name, ws, reply);
    peer.send({ type: 'hello', version: PROTOCOL_VERSION, name, token: AGENT_TOKEN, agentTimeMs: Date.now() });
    if (options.heartbeat !== false) {
      peer.heartbeat = setInterval(() => peer.send({ type: 'heartbeat', agentTimeMs: Date.now() }), 500);
      peer.heartbeat.unref();
    }
    return peer;
  }

  send(message: unknown): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  /** Resolves with the next message of `type` (or one already received and not yet waited for). */
  next(type: ControllerMessage['type'] | 'phase:RUN' | 'phase:TERMINATE'): Promise<ControllerMessage> {
    const seen = this.received.find((m) => matches(m, type));
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  close(): void {
    this.stopHeartbeat();
    this.ws.terminate();
  }

  private receive(message: ControllerMessage): void {
    const waiter = this.waiters.find((w) => matches(message, w.type));
    if (waiter) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else {
      this.received.push(message);
    }
    if (this.reply(message, this)) return;
    obey(message, this);
  }
}

function matches(message: ControllerMessage, type: string): boolean {
  return message.type === type || (message.type === 'phase' && `phase:${message.command}` === type);
}

/** What a working agent answers. */
export function obey(message: ControllerMessage, peer: AgentPeer): void {
  switch (message.type) {
    case 'init':
      peer.send({ type: 'ready', stepSlas: {} });
      return;
    case 'phase': {
      const status = message.command === 'RUN' ? 'RUNNING' : message.command === 'FINISH' ? 'FINISHED' : 'TERMINATED';
      peer.send({ type: 'phaseStatus', phase: message.phase, status, sessionLimitExceeded: false, agentTimeMs: Date.now() });
      if (status === 'RUNNING') {
        peer.send({ type: 'stats', items: [{ phase: message.phase, stepId: 1, metric: 'm', sequenceId: 0, snapshot: snapshotBase64(3) }] });
      }
      if (status === 'TERMINATED') peer.send({ type: 'phaseStatsComplete', phase: message.phase });
      return;
    }
    case 'stop':
      peer.send({ type: 'stopped' });
  }
}
