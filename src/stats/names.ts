// Phase names as they appear in stats files and all.json. Expanded phases are named "phase", "phase/iter",
// "phase/fork" or "phase/iter/fork" (iterations are "000", "001", ...).

export interface PhaseNameParts {
  phase: string;
  iteration: string;
  fork: string;
}

/**
 * Split "phase/iter/fork": with two segments after the phase the first is the iteration; with one, it is the
 * iteration when made only of digits and the fork otherwise. Missing parts are "".
 */
export function splitPhaseName(name: string): PhaseNameParts {
  const slash = name.indexOf('/');
  if (slash < 0) return { phase: name, iteration: '', fork: '' };
  const phase = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (rest === '') return { phase, iteration: '', fork: '' };
  const second = rest.indexOf('/');
  if (second >= 0) return { phase, iteration: rest.slice(0, second), fork: rest.slice(second + 1) };
  return /^[0-9]+$/.test(rest) ? { phase, iteration: rest, fork: '' } : { phase, iteration: '', fork: rest };
}

/** A phase, metric or agent name made safe for a file name: every "/" becomes "_". */
export function sanitizeFileName(name: string): string {
  return name.replaceAll('/', '_');
}

/** `<phase>.<metric>.<stepId>[.agent.<agent>].histogram.csv` / `.series.csv`, inside the run's stats dir. */
export function metricFileName(
  phase: string,
  metric: string,
  stepId: number,
  kind: 'histogram' | 'series',
  agent?: string,
): string {
  const agentPart = agent === undefined ? '' : `.agent.${sanitizeFileName(agent)}`;
  return `${sanitizeFileName(phase)}.${sanitizeFileName(metric)}.${stepId}${agentPart}.${kind}.csv`;
}
