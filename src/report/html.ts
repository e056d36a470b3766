/**
 * One self-contained HTML page from the data of one run (or two, side by side): uPlot and the page's script and
 * style inline, the data as JSON in a non-executed script element. Nothing is fetched: a Content-Security-Policy
 * forbids every network request and allows only the two inline scripts, by hash.
 *
 * Hostile input: benchmark names, sources, metric names and messages all come from users or targets. None is
 * ever written into the HTML as markup: the data block escapes `<` (so no `</script>` or `<!--` can end it) and the
 * page puts strings in with textContent; the only string in the markup, the title, is HTML-escaped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunReport } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

let uplotAssets: { js: string; css: string } | undefined;

/** uPlot's minified build and stylesheet, read once from the installed package. */
function uplot(): { js: string; css: string } {
  if (uplotAssets === undefined) {
    const require = createRequire(import.meta.url);
    uplotAssets = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return uplotAssets;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a script element: `<` (and the JS line separators) escaped as \u sequences. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface PageParts {
  readonly title: string;
  /** Static markup (no data in it): the element the script fills. */
  readonly bodyHtml: string;
  /** Put in the page as JSON, `<script type="application/json" id="page-data">`. */
  readonly data: unknown;
  readonly script: string;
  readonly style: string;
  /** The page may fetch from its own origin (the live view); a report fetches nothing. */
  readonly connectSelf?: boolean;
}

/** A page with uPlot, its script, style and data inline, and a CSP that allows exactly those scripts. */
export function selfContainedPage(parts: PageParts): string {
  const { js, css } = uplot();
  // A script's own text must not end its element; uPlot's build has no `</script` (checked here, not assumed).
  for (const script of [js, parts.script]) {
    if (/<\/script|<!--/i.test(script)) throw new Error('an inline script contains </script or <!--');
  }
  const connect = parts.connectSelf ? "connect-src 'self'; " : '';
  const csp = `default-src 'none'; ${connect}script-src ${sha256(js)} ${sha256(parts.script)}; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${css}\n${parts.style}</style>`,
    '</head><body>',
    parts.bodyHtml,
    `<script type="application/json" id="page-data">${scriptSafeJson(parts.data)}</script>`,
    `<script>${js}</script>`,
    `<script>${parts.script}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

export function reportHtml(runs: readonly RunReport[]): string {
  const title = runs.length === 2
    ? `Runs ${runs[0]!.id} and ${runs[1]!.id}`
    : `Run ${runs[0]?.id ?? ''} ${runs[0]?.benchmark ?? ''}`;
  return selfContainedPage({
    title: `${title} - hyperfoil-ts report`, bodyHtml: '<main id="report"></main>', data: { runs }, script: PAGE_SCRIPT, style: PAGE_STYLE,
  });
}
