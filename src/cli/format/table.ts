/** Plain-text tables in Hyperfoil's CLI style: a header row, columns separated by two spaces. */

export interface Column<R> {
  readonly title: string;
  readonly value: (row: R) => string;
  /** Text columns are left-aligned, numbers right-aligned. */
  readonly align?: 'left' | 'right';
}

export function renderTable<R>(rows: readonly R[], columns: ReadonlyArray<Column<R>>): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]): string => values
    .map((value, i) => (columns[i]?.align === 'right' ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)].join('\n');
}
