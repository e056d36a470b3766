/** Exit codes of the `hyperfoil` command; documented in the README and stable across releases. */
export const ExitCode = {
  /** The command did what was asked; for `run`, every SLA passed. */
  OK: 0,
  /** The run completed but at least one SLA failed. */
  SLA_FAILED: 1,
  /** Wrong command-line usage (unknown option, missing argument). */
  USAGE: 2,
  /** The benchmark is invalid (YAML, schema, references, missing files or parameters). */
  INVALID_BENCHMARK: 3,
  /**
   * The run could not execute or broke down: controller, agent or deployment failure; or requests were made and
   * not one succeeded (all failed or were invalid), whatever the SLAs allow.
   */
  RUN_FAILED: 4,
  /**
   * The run completed but the load generator could not keep up (late or throttled scheduled starts, event-loop
   * lag): its figures include the generator's own delays. Takes precedence over SLA_FAILED, whose verdict then
   * rests on those figures.
   */
  GENERATOR_SATURATED: 5,
  /** The run was interrupted (Ctrl+C / SIGTERM); what was measured is still written. */
  ABORTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
