/** The report page's stylesheet (uPlot's own is inlined before it). */
export const PAGE_STYLE = `
:root { color-scheme: light; --fail: #b3261e; --pass: #1b6e20; --line: #d0d4da; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2125; background: #f6f7f9; }
#report { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
header { display: flex; align-items: center; gap: 16px; }
h1 { font-size: 22px; margin: 8px 0; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 0 0 8px; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 12px 0 6px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; overflow-x: auto; }
.badge { font-weight: 700; padding: 2px 10px; border-radius: 4px; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { color: #5f6670; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eceef1; text-align: left; white-space: nowrap; }
td.num { text-align: right; }
th { font-weight: 600; color: #5f6670; }
tr.fail td, p.fail, li.fail, ul.reasons li { color: var(--fail); }
tr.pass td:first-child { color: var(--pass); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
.chart { min-width: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0 12px; }
summary { cursor: pointer; font-weight: 600; }
summary.fail { color: var(--fail); }
.chart-title { font-weight: 600; text-align: center; }
.empty { color: #8a9099; text-align: center; }
.filename { color: #5f6670; margin-bottom: 4px; }
pre.source { background: #f3f4f6; padding: 10px; overflow: auto; max-height: 600px; font-size: 12.5px; }
.uplot { font-size: 12px; }
.u-title { font-size: 14px !important; }
`;
