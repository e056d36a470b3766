/**
 * A run in which requests were made and not one of them succeeded measured nothing but the failure: its latency
 * figures (if any) are those of error pages or of nothing at all. `hyperfoil run` exits with RUN_FAILED for it
 * instead of 0, whatever the SLAs say (their default error and invalid ratios, 1.01, never fail).
 */
import type { RequestStats } from './store.js';

/** The message saying that no request succeeded, or null when one did (or none was made). */
export function noRequestSucceeded(totals: readonly RequestStats[]): string | null {
  let requests = 0;
  let succeeded = 0;
  let errors = 0;
  let invalid = 0;
  for (const { summary } of totals) {
    requests += summary.requestCount;
    // A failed request is marked invalid without being counted as an invalid response: invalid <= responses.
    succeeded += Math.max(0, summary.responseCount - summary.invalid);
    errors += summary.connectionErrors + summary.requestTimeouts + summary.internalErrors;
    invalid += summary.invalid;
  }
  if (requests === 0 || succeeded > 0) return null;
  return `no request succeeded: ${requests} requests, ${errors} errors (connection, timeout, internal), `
    + `${invalid} invalid responses (see the table above)`;
}
