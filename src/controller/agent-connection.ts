/**
 * The controller's side of one agent, whatever carries the messages: an in-process agent (standalone, `run`),
 * a WebSocket (clustered agents) — the run logic is the same for all.
 */
import type { AgentMessage, ControllerMessage, ExtensionRef } from '../protocol/index.js';

export interface AgentConnection {
  readonly name: string;
  /** Where the agent runs, for `status` and the Run JSON (`in-vm`, `host:port`…). */
  readonly address: string;
  /**
   * The agent's clock minus the controller's (ms), measured when the agent registered; 0 or absent for an agent in
   * the controller's own process. Used to place the agent's timestamps on the controller's clock.
   */
  readonly clockOffsetMs?: number;
  send(message: ControllerMessage): void;
  /** Every message the agent sends, validated. */
  onMessage(listener: (message: AgentMessage) => void): void;
  /** The agent went away (process died, connection lost, heartbeat missed); `reason` says which. */
  onClose(listener: (reason: string) => void): void;
  /**
   * Ends the agent (if it still runs) and the connection; `reason` is told to the agent where the transport can, and
   * `failed` says the agent is closed because it failed (invalid message, overdue), not because the run ended.
   */
  close(reason?: string, how?: 'ended' | 'failed'): void;
}

/** Starts the agents of one run and hands back a connection to each, once each has said hello. */
export interface Deployer {
  deploy(request: DeployRequest): Promise<AgentConnection[]>;
  /** The extensions the agents it deploys have loaded (src/extensions); each run's `init` requires exactly these. */
  readonly extensions?: readonly ExtensionRef[];
}

export interface DeployRequest {
  readonly runId: string;
  /** The agents the benchmark declares, or one `in-vm` agent for standalone runs. */
  readonly agents: ReadonlyArray<{ readonly name: string; readonly properties: Readonly<Record<string, string>>; readonly threads: number }>;
  /** Deployment gives up after this long. */
  readonly timeoutMs: number;
  /** Aborted when the run is killed while its agents are being deployed: stop and clean up what was started. */
  readonly signal?: AbortSignal;
}
