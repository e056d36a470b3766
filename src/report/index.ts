// Public face of the report: a run directory (or two) → one self-contained HTML page.
import { reportHtml } from './html.js';
import { runReport } from './model.js';
import { readRunFiles } from './run-files.js';

export { escapeHtml, reportHtml, scriptSafeJson, selfContainedPage, type PageParts } from './html.js';
export { PAGE_STYLE } from './page-style.js';
export { DOM_HELPERS } from './page-helpers.js';
export { runReport, type MetricReport, type RunReport } from './model.js';
export { readRunFiles, type RunFiles } from './run-files.js';

/** The report of the run stored in `dir` (one directory), or of two runs side by side (two directories). */
export function renderReport(dirs: readonly string[]): string {
  if (dirs.length < 1 || dirs.length > 2) throw new RangeError('a report shows one run or compares two');
  return reportHtml(dirs.map((dir) => runReport(readRunFiles(dir))));
}

/** The report of one run from a chosen JSON file of its directory (REST `?source=`), named relative to it. */
export function renderReportFrom(dir: string, allJsonName: string): string {
  return reportHtml([runReport(readRunFiles(dir, allJsonName))]);
}
