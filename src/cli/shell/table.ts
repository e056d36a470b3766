/**
 * `renderTable` (Hyperfoil's CLI table style) for cells that may carry colour escapes: widths count what is
 * visible, not the escape sequences.
 */
import type { Column } from '../format/table.js';
import { visibleLength } from './terminal.js';

export function renderColouredTable<R>(rows: readonly R[], columns: ReadonlyArray<Column<R>>): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(visibleLength(c.title), ...cells.map((r) => visibleLength(r[i] ?? ''))));
  const fit = (value: string, i: number): string => {
    const room = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(value)));
    return columns[i]?.align === 'right' ? room + value : value + room;
  };
  const line = (values: readonly string[]): string => values.map(fit).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)].join('\n');
}
