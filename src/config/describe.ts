/** One-line descriptions of phases, in Hyperfoil's wording (status tables, `validate` summary). */
import { formatDurationMs } from '../lib/index.js';
import type { Benchmark, Phase, PhaseModel } from './model.js';

export function describeModel(model: PhaseModel): string {
  switch (model.type) {
    case 'noop': return 'No-op phase';
    case 'atOnce':
    case 'always': {
      const per = model.usersPer === 'agent' ? ' per agent' : model.usersPer === 'thread' ? ' per thread' : '';
      return `${model.users} users${per} ${model.type === 'atOnce' ? 'at once' : 'always'}`;
    }
    case 'constantRate': return `${model.usersPerSec.toFixed(2)} users per second`;
    case 'increasingRate':
    case 'decreasingRate':
      return `${model.initialUsersPerSec.toFixed(2)} - ${model.targetUsersPerSec.toFixed(2)} users per second`;
  }
}

export function describePhase(phase: Phase): string {
  const duration = phase.durationMs !== undefined ? ` for ${formatDurationMs(phase.durationMs)}` : '';
  return `${phase.name} (${phase.model.type}: ${describeModel(phase.model)}${duration})`;
}

/** The one-line summary names this many phases at most. */
const SHOWN_PHASES = 4;

export function describeBenchmark(benchmark: Benchmark): string {
  // Umbrella phases generated for forks and iterations share no resources; the user did not write them.
  const visible = benchmark.phases.filter((p) => p.sharedResources !== '');
  const phases = visible.length === 1 ? '1 phase' : `${visible.length} phases`;
  const shown = visible.slice(0, SHOWN_PHASES).map(describePhase);
  if (visible.length > SHOWN_PHASES) shown.push(`… and ${visible.length - SHOWN_PHASES} more`);
  return `${phases}: ${shown.join(', ')}`;
}
