/** Suggestions for misspelled names ("did you mean `duration`?"). */

export function editDistance(a: string, b: string): number {
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  let previous = Array.from({ length: bl.length + 1 }, (_, i) => i);
  for (let i = 1; i <= al.length; i++) {
    const current = [i];
    for (let j = 1; j <= bl.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (al[i - 1] === bl[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[bl.length] ?? 0;
}

/** The candidates closest to `name`, best first; only those close enough to be a plausible typo. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return [...candidates]
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter(({ candidate, distance }) =>
      distance <= limit || (name.length >= 3 && candidate.toLowerCase().includes(name.toLowerCase())))
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

/** " Did you mean `a` or `b`?" or "" when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closestNames(name, candidates);
  if (close.length === 0) return '';
  return ` Did you mean ${close.map((c) => `\`${c}\``).join(' or ')}?`;
}
