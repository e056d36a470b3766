/**
 * The read-only `hyperfoil.*` variables. Each is a slot of the session's table that the session fills when it
 * starts (only the specials the scenario reads are filled); writing one is a compile error.
 */

/** The numbers and names a special variable is computed from. */
export interface SpecialSource {
  readonly sessionId: number;
  readonly agentId: number;
  readonly agents: number;
  readonly agentThreadId: number;
  readonly agentThreads: number;
  readonly globalThreadId: number;
  readonly globalThreads: number;
  readonly runId: string;
  readonly phaseName: string;
  readonly phaseId: number;
  readonly phaseIteration: number;
  readonly phaseStartWallMs: number;
}

export interface SpecialVar {
  readonly name: string;
  readonly kind: 'int' | 'object';
  value(source: SpecialSource): number | string;
}

const SPECIALS: readonly SpecialVar[] = [
  { name: 'hyperfoil.agent.id', kind: 'int', value: (s) => s.agentId },
  { name: 'hyperfoil.agents', kind: 'int', value: (s) => s.agents },
  { name: 'hyperfoil.agent.thread.id', kind: 'int', value: (s) => s.agentThreadId },
  { name: 'hyperfoil.agent.threads', kind: 'int', value: (s) => s.agentThreads },
  { name: 'hyperfoil.global.thread.id', kind: 'int', value: (s) => s.globalThreadId },
  { name: 'hyperfoil.global.threads', kind: 'int', value: (s) => s.globalThreads },
  { name: 'hyperfoil.phase.name', kind: 'object', value: (s) => s.phaseName },
  { name: 'hyperfoil.phase.id', kind: 'int', value: (s) => s.phaseId },
  { name: 'hyperfoil.phase.iteration', kind: 'int', value: (s) => s.phaseIteration },
  // Undocumented in Hyperfoil; we give the phase start as an ISO-8601 UTC timestamp.
  { name: 'hyperfoil.phase.start.time.as.string', kind: 'object', value: (s) => new Date(s.phaseStartWallMs).toISOString() },
  { name: 'hyperfoil.run.id', kind: 'object', value: (s) => s.runId },
  { name: 'hyperfoil.session.id', kind: 'int', value: (s) => s.sessionId },
];

const BY_NAME: ReadonlyMap<string, SpecialVar> = new Map(SPECIALS.map((s) => [s.name, s]));

export const SPECIAL_PREFIX = 'hyperfoil.';

export function specialVar(name: string): SpecialVar | undefined {
  return BY_NAME.get(name);
}

export function specialNames(): string[] {
  return SPECIALS.map((s) => s.name);
}
