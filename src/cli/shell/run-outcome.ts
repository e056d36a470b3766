/**
 * What a finished run means for a script's exit code, read from its all.json export as any controller serves it
 * (`GET /run/{id}/stats/all/json`): errors → RUN_FAILED (4), a saturated load generator → GENERATOR_SATURATED (5,
 * our controller's `generator` section; Hyperfoil's has none), SLA failures → SLA_FAILED (1), else OK — the same
 * order of precedence as `hyperfoil run`. A cancelled (killed) run is OK.
 */
import { ExitCode } from '../exit-codes.js';

export interface RunOutcome {
  readonly exitCode: number;
  readonly text: string;
}

interface AllJson {
  readonly info?: { readonly errors?: readonly unknown[] };
  readonly failures?: readonly unknown[];
  readonly generator?: { readonly saturated?: boolean };
}

export function runOutcome(allJson: Buffer, run: { readonly errors: readonly string[]; readonly cancelled: boolean }): RunOutcome {
  // A killed run is what the script asked for: not a failure of the script.
  if (run.cancelled) return { exitCode: ExitCode.OK, text: 'cancelled' };
  const runErrors = run.errors;
  let all: AllJson = {};
  try {
    all = JSON.parse(allJson.toString('utf8')) as AllJson;
  } catch {
    return { exitCode: ExitCode.RUN_FAILED, text: 'failed: the controller sent results that are not JSON' };
  }
  const errors = Math.max(runErrors.length, all.info?.errors?.length ?? 0);
  if (errors > 0) return { exitCode: ExitCode.RUN_FAILED, text: `failed (${errors} error${errors === 1 ? '' : 's'})` };
  if (all.generator?.saturated === true) {
    return { exitCode: ExitCode.GENERATOR_SATURATED, text: 'the load generator was saturated: its figures include its own delays' };
  }
  const failures = all.failures?.length ?? 0;
  if (failures > 0) return { exitCode: ExitCode.SLA_FAILED, text: `${failures} SLA failure${failures === 1 ? '' : 's'}` };
  return { exitCode: ExitCode.OK, text: 'passed' };
}
