/**
 * Control-plane errors. Each carries a stable `code` so callers (CLI exit codes, REST status codes)
 * can react without parsing messages, and a message that tells the user what to do.
 */
export class HyperfoilError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A problem found in a benchmark file, with its position (1-based line and column). */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** The benchmark is invalid; `problems` lists every independent problem found, in file order. */
export class BenchmarkError extends HyperfoilError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const plural = problems.length === 1 ? 'problem' : 'problems';
    super('INVALID_BENCHMARK', `Invalid benchmark (${problems.length} ${plural}):\n${problems.map(formatProblem).join('\n')}`);
    this.problems = problems;
  }
}
