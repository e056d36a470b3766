/**
 * The phase state machine of one run, owned by the controller for the whole cluster. It is a pure function of the
 * phases, the statuses the agents reported and the time: `step(nowMs)` returns the commands to send; agents obey.
 *
 * - A phase starts when its `startTime` has passed, every `startAfter` phase has finished (starts no new sessions),
 *   every `startAfterStrict` phase has terminated (all its sessions done), and its `startWith` phase started
 *   `delay` ago.
 * - A running phase is told to FINISH when its `duration` has elapsed (at once when it has none: atOnce, noop).
 * - A finished phase is told to TERMINATE (cancel its sessions) when its `maxDuration` has elapsed, and otherwise to
 *   TRY_TERMINATE (end once its sessions are done) as soon as every `terminateAfterStrict` phase has terminated.
 * - A failed phase with `failurePolicy: CANCEL` cancels every phase that has not started.
 * The run is complete when every phase is terminated or cancelled.
 *
 * RUN, FINISH and TERMINATE are obeyed at once by a working agent, so each phase remembers which status its last
 * such command awaits and since when: `overdue` names the agents that have not reached it in time (the run declares
 * them failed). TRY_TERMINATE has no such bound: it waits for the sessions to end, as long as they take.
 */
import type { Phase } from '../config/index.js';

export type ControllerPhaseStatus =
  | 'NOT_STARTED' | 'STARTING' | 'RUNNING' | 'FINISHING' | 'FINISHED' | 'TERMINATING' | 'TERMINATED' | 'CANCELLED';

/** What agents report; the controller's view of a phase is the least advanced of its agents. */
export type AgentPhaseStatus = 'RUNNING' | 'FINISHED' | 'TERMINATED';

export type PhaseCommand = 'RUN' | 'FINISH' | 'TRY_TERMINATE' | 'TERMINATE';

export interface PhaseState {
  readonly phase: Phase;
  status: ControllerPhaseStatus;
  /** When the controller sent RUN (epoch ms). */
  startedAtMs?: number;
  finishedAtMs?: number;
  terminatedAtMs?: number;
  failed: boolean;
  /** TERMINATE (cancel the sessions) was sent, as opposed to TRY_TERMINATE. */
  terminateSent: boolean;
  /** Each agent's latest report for this phase. */
  readonly agentStatuses: Map<string, AgentPhaseStatus>;
  /** The status the last RUN, FINISH or TERMINATE asked every agent to reach, and when it was sent. */
  awaiting?: { readonly status: AgentPhaseStatus; readonly sinceMs: number };
}

const RANK: Record<ControllerPhaseStatus, number> = {
  NOT_STARTED: 0, STARTING: 1, RUNNING: 2, FINISHING: 3, FINISHED: 4, TERMINATING: 5, TERMINATED: 6, CANCELLED: 6,
};
const AGENT_RANK: Record<AgentPhaseStatus, number> = { RUNNING: 2, FINISHED: 4, TERMINATED: 6 };
const BY_RANK: Record<number, ControllerPhaseStatus> = { 2: 'RUNNING', 4: 'FINISHED', 6: 'TERMINATED' };

export function isFinished(status: ControllerPhaseStatus): boolean {
  return RANK[status] >= RANK.FINISHED;
}

export function isTerminated(status: ControllerPhaseStatus): boolean {
  return status === 'TERMINATED' || status === 'CANCELLED';
}

export interface Orchestrator {
  readonly states: ReadonlyMap<string, PhaseState>;
  /** The commands due at `nowMs`, in phase order; the state moves to STARTING, FINISHING or TERMINATING. */
  step(nowMs: number): Array<{ phase: string; command: PhaseCommand }>;
  /** An agent's status report; the phase advances when every agent has reached that status. */
  report(agent: string, phase: string, status: AgentPhaseStatus, nowMs: number): void;
  /** Mark a phase failed (SLA, session limit, agent error); with CANCEL, phases not yet started are cancelled. */
  fail(phase: string): void;
  /** Cancel every phase that has not started and terminate the rest (kill, agent failure). */
  abort(nowMs: number): Array<{ phase: string; command: PhaseCommand }>;
  /** Agents that have not reached the status a RUN, FINISH or TERMINATE awaits though it was sent over `timeoutMs` ago. */
  overdue(nowMs: number, timeoutMs: number): Array<{ agent: string; phase: string; status: AgentPhaseStatus }>;
  readonly complete: boolean;
}

export function createOrchestrator(options: {
  phases: readonly Phase[];
  agents: readonly string[];
  failurePolicy: 'CANCEL' | 'CONTINUE';
  runStartMs: number;
}): Orchestrator {
  const states = new Map<string, PhaseState>();
  for (const phase of options.phases) {
    states.set(phase.name, { phase, status: 'NOT_STARTED', failed: false, terminateSent: false, agentStatuses: new Map() });
  }
  const get = (name: string): PhaseState | undefined => states.get(name);
  const allFinished = (names: readonly string[]): boolean => names.every((n) => { const s = get(n); return !s || isFinished(s.status); });
  const allTerminated = (names: readonly string[]): boolean => names.every((n) => { const s = get(n); return !s || isTerminated(s.status); });

  const canStart = (state: PhaseState, nowMs: number): boolean => {
    const { phase } = state;
    if (options.runStartMs + phase.startTimeMs > nowMs) return false;
    if (!allFinished(phase.startAfter) || !allTerminated(phase.startAfterStrict)) return false;
    if (phase.startWith) {
      const leader = get(phase.startWith.phase);
      if (!leader || leader.startedAtMs === undefined) return false;
      if (leader.startedAtMs + phase.startWith.delayMs > nowMs) return false;
    }
    return true;
  };

  const cancelNotStarted = (): void => {
    for (const state of states.values()) if (state.status === 'NOT_STARTED') state.status = 'CANCELLED';
  };

  return {
    states,
    step(nowMs) {
      const commands: Array<{ phase: string; command: PhaseCommand }> = [];
      for (const state of states.values()) {
        const { phase } = state;
        const started = state.startedAtMs ?? nowMs;
        // No duration (atOnce, noop): finish as soon as the phase runs; it then terminates when its sessions end.
        if (state.status === 'RUNNING' && started + (phase.durationMs ?? 0) <= nowMs) {
          state.status = 'FINISHING';
          state.awaiting = { status: 'FINISHED', sinceMs: nowMs };
          commands.push({ phase: phase.name, command: 'FINISH' });
        }
        if (RANK[state.status] >= RANK.RUNNING && !isTerminated(state.status) && !state.terminateSent) {
          if (phase.maxDurationMs !== undefined && started + phase.maxDurationMs <= nowMs) {
            state.status = 'TERMINATING';
            state.terminateSent = true;
            state.awaiting = { status: 'TERMINATED', sinceMs: nowMs };
            commands.push({ phase: phase.name, command: 'TERMINATE' });
            continue;
          }
        }
        if (state.status === 'FINISHED' && allTerminated(phase.terminateAfterStrict)) {
          state.status = 'TERMINATING';
          delete state.awaiting;
          commands.push({ phase: phase.name, command: 'TRY_TERMINATE' });
        }
      }
      for (const state of states.values()) {
        if (state.status === 'NOT_STARTED' && canStart(state, nowMs)) {
          state.status = 'STARTING';
          state.startedAtMs = nowMs;
          state.awaiting = { status: 'RUNNING', sinceMs: nowMs };
          commands.push({ phase: state.phase.name, command: 'RUN' });
        }
      }
      return commands;
    },
    report(agent, phaseName, status, nowMs) {
      const state = get(phaseName);
      if (!state || isTerminated(state.status)) return;
      state.agentStatuses.set(agent, status);
      if (state.agentStatuses.size < options.agents.length) return;
      const least = Math.min(...[...state.agentStatuses.values()].map((s) => AGENT_RANK[s]));
      // A report never moves a phase backwards (FINISHING stays until every agent says FINISHED).
      if (least <= RANK[state.status]) return;
      const next = BY_RANK[least] as ControllerPhaseStatus;
      state.status = next;
      if (next === 'FINISHED') state.finishedAtMs = nowMs;
      if (next === 'TERMINATED') {
        state.finishedAtMs ??= nowMs;
        state.terminatedAtMs = nowMs;
      }
    },
    fail(phaseName) {
      const state = get(phaseName);
      if (!state) return;
      state.failed = true;
      if (options.failurePolicy === 'CANCEL') cancelNotStarted();
    },
    abort(nowMs) {
      cancelNotStarted();
      const commands: Array<{ phase: string; command: PhaseCommand }> = [];
      for (const state of states.values()) {
        if (!isTerminated(state.status) && !state.terminateSent) {
          state.status = 'TERMINATING';
          state.terminateSent = true;
          state.awaiting = { status: 'TERMINATED', sinceMs: nowMs };
          commands.push({ phase: state.phase.name, command: 'TERMINATE' });
        }
      }
      return commands;
    },
    overdue(nowMs, timeoutMs) {
      const late: Array<{ agent: string; phase: string; status: AgentPhaseStatus }> = [];
      for (const state of states.values()) {
        const awaiting = state.awaiting;
        if (!awaiting || isTerminated(state.status) || nowMs - awaiting.sinceMs <= timeoutMs) continue;
        for (const agent of options.agents) {
          const reported = state.agentStatuses.get(agent);
          if (reported === undefined || AGENT_RANK[reported] < AGENT_RANK[awaiting.status]) {
            late.push({ agent, phase: state.phase.name, status: awaiting.status });
          }
        }
      }
      return late;
    },
    get complete() {
      return [...states.values()].every((s) => isTerminated(s.status));
    },
  };
}
