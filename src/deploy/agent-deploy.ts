/**
 * What the `local` and `ssh` deployers share: start every agent of a run in parallel with a fresh per-run token,
 * wait until each has dialled the controller's agent hub, and on any failure (or timeout, or the run being killed)
 * end every agent already started before reporting the first cause, named by agent. The connections handed to the
 * run end their agent's process when closed.
 */
import { randomAgentToken } from '../controller/index.js';
import type { AgentConnection, AgentHub, Deployer, DeployRequest } from '../controller/index.js';
import { HyperfoilError } from '../lib/index.js';

export type DeployAgent = DeployRequest['agents'][number];

/** A deployer that starts agent processes (`local`, `ssh`). */
export interface ClusterDeployer extends Deployer {
  /** For `GET /log/{agent}`. */
  agentLogFile(agent: string): string | undefined;
  /** Resolves once every agent process this deployer started has ended. */
  close(): Promise<void>;
}

/** An agent process a launcher started. */
export interface LaunchedAgent {
  /** Where it runs, for messages (`local pid 123`, `user@host:22`). */
  readonly where: string;
  /** Resolves with what happened (`exited with code 1`, `was killed by SIGKILL`) when the process ends. */
  readonly exited: Promise<string>;
  /** Waits up to `graceMs` for the process to end by itself, then kills it; also collects its log. Idempotent. */
  stop(graceMs: number): Promise<void>;
  /** The end of its log, to explain an agent that ended before connecting. */
  logTail(): Promise<string>;
}

/** Starts one agent; `stage` tells what it is doing, for timeout messages. Rejects with a message naming the cause. */
export type Launcher = (agent: DeployAgent, token: string, stage: (text: string) => void, signal: AbortSignal) => Promise<LaunchedAgent>;

export class AgentDeployError extends HyperfoilError {
  constructor(readonly agent: string, message: string, options?: { cause?: unknown }) {
    super('AGENT_DEPLOY_FAILED', `agent ${agent}: ${message}`, options);
  }
}

/** How long a stopped agent gets to exit by itself before it is killed. */
const STOP_GRACE_MS = 3000;

/** Tracks every agent process a deployer started, so that `close()` can wait until all of them are gone. */
export class LaunchedAgents {
  private readonly stopping = new Set<Promise<void>>();

  stop(agent: LaunchedAgent, graceMs: number): Promise<void> {
    const done = agent.stop(graceMs).catch(() => {});
    this.stopping.add(done);
    void done.then(() => this.stopping.delete(done));
    return done;
  }

  async settled(): Promise<void> {
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
  }
}

function lines(text: string): string {
  const tail = text.trim();
  return tail === '' ? '' : `; the end of its log:\n${tail}`;
}

/** The hub's connection, whose `close()` also ends the agent's process and whose close reasons say how it ended. */
function managedConnection(connection: AgentConnection, launched: LaunchedAgent, agents: LaunchedAgents): AgentConnection {
  let exit: string | undefined;
  let lost = false;
  void launched.exited.then((text) => { exit = text; });
  connection.onClose(() => { lost = true; });
  return {
    name: connection.name,
    address: connection.address,
    get clockOffsetMs() { return connection.clockOffsetMs ?? 0; },
    send: (message) => connection.send(message),
    onMessage: (listener) => connection.onMessage(listener),
    onClose: (listener) => connection.onClose((reason) => {
      // A killed process and its dropped connection are seen at about the same moment: give the exit a chance.
      const report = (): void => listener(exit === undefined ? reason : `${reason} (the agent process ${exit})`);
      if (exit !== undefined) report();
      else void Promise.race([launched.exited, new Promise((resolve) => setTimeout(resolve, 300))]).then(report);
    }),
    close: (reason, how) => {
      connection.close(reason, how);
      // A lost or failed agent (frozen, unreachable, misbehaving) will not stop by itself: no grace.
      void agents.stop(launched, lost || how === 'failed' ? 0 : STOP_GRACE_MS);
    },
  };
}

export interface DeployWithHubOptions {
  readonly hub: AgentHub;
  readonly launch: Launcher;
  readonly agents: LaunchedAgents;
}

export async function deployWithHub(request: DeployRequest, options: DeployWithHubOptions): Promise<AgentConnection[]> {
  const { hub, launch, agents } = options;
  const token = randomAgentToken();
  const abort = new AbortController();
  const stages = new Map<string, string>(request.agents.map((a) => [a.name, 'starting']));
  const launched: LaunchedAgent[] = [];
  const connections: AgentConnection[] = [];
  let firstError: Error | undefined;
  const fail = (error: Error): void => {
    firstError ??= error;
    if (!abort.signal.aborted) abort.abort(error);
  };
  const timer = setTimeout(() => {
    const pending = [...stages].filter(([, stage]) => stage !== 'connected').map(([name, stage]) => `${name} (${stage})`);
    fail(new HyperfoilError('DEPLOY_TIMEOUT', `deploying the agents did not finish within ${request.timeoutMs} ms; still waiting for agent ` +
      `${pending.join(', ')}. Raise the deploy timeout if the hosts are slow`));
  }, request.timeoutMs);
  const onRunAbort = (): void => fail(new HyperfoilError('RUN_KILLED', 'the run was killed while its agents were being deployed'));
  if (request.signal?.aborted) onRunAbort();
  request.signal?.addEventListener('abort', onRunAbort, { once: true });

  const deployOne = async (agent: DeployAgent): Promise<AgentConnection> => {
    const connected = hub.expect(agent.name, token, abort.signal);
    connected.catch(() => {});
    let process: LaunchedAgent;
    try {
      process = await launch(agent, token, (text) => stages.set(agent.name, text), abort.signal);
    } catch (error) {
      if (abort.signal.aborted && firstError) throw firstError;
      throw error instanceof AgentDeployError ? error : new AgentDeployError(agent.name, (error as Error).message, { cause: error });
    }
    launched.push(process);
    if (abort.signal.aborted) throw firstError ?? new Error('aborted');
    stages.set(agent.name, `started ${process.where}, waiting for it to connect to the controller`);
    const ended = process.exited.then(async (how): Promise<never> => {
      throw new AgentDeployError(agent.name, `the agent process ${how} before connecting to the controller${lines(await process.logTail())}`);
    });
    ended.catch(() => {});
    const connection = await Promise.race([connected, ended]);
    connections.push(connection);
    stages.set(agent.name, 'connected');
    return managedConnection(connection, process, agents);
  };

  try {
    const results = await Promise.allSettled(request.agents.map((agent) => deployOne(agent).catch((error: Error) => {
      fail(error);
      throw error;
    })));
    if (firstError) throw firstError;
    return results.map((r) => (r as PromiseFulfilledResult<AgentConnection>).value);
  } catch (error) {
    // Leave nothing behind: every started agent is killed (no grace: the run is not going to happen).
    for (const connection of connections) connection.close();
    await Promise.all(launched.map((p) => agents.stop(p, 0)));
    throw error;
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onRunAbort);
  }
}
