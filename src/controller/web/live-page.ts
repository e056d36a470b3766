/** The live view at `/`: one page (uPlot, script and style inline, CSP by hash) that talks to this controller only. */
import { PAGE_STYLE, selfContainedPage } from '../../report/index.js';
import { LIVE_SCRIPT } from './live-script.js';

const LIVE_STYLE = `
#live { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
header .status { margin-left: auto; }
td.actions a, td.actions button { margin-right: 10px; }
input { font: inherit; padding: 2px 6px; }
button { font: inherit; padding: 2px 12px; cursor: pointer; }
`;

let cached: { version: string; html: string } | undefined;

export function livePage(version: string): string {
  if (cached?.version !== version) {
    cached = {
      version,
      html: selfContainedPage({
        title: `hyperfoil-ts controller ${version}`, bodyHtml: '<main id="live"></main>', data: { version }, script: LIVE_SCRIPT,
        style: PAGE_STYLE + LIVE_STYLE, connectSelf: true,
      }),
    };
  }
  return cached.html;
}
