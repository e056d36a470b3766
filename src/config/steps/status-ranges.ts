/**
 * HTTP status ranges as Hyperfoil writes them: `204`, `2xx` / `30x` (trailing x = any digit), `200-399`; in the keys
 * of `status.action` and `status.multiplex` also comma-separated lists (`"2xx,304"`) and `other`.
 */
import { fail, ok } from '../forms.js';
import type { Parsed } from '../../lib/index.js';

export interface StatusRange {
  /** Inclusive. */
  readonly min: number;
  /** Inclusive. */
  readonly max: number;
}

export function parseStatusRange(text: string): Parsed<StatusRange> {
  const trimmed = text.trim();
  const usage = 'a status (`204`), a masked status (`2xx`, `30x`) or a range (`200-399`)';
  const dash = /^(\d+)\s*-\s*(\d+)$/.exec(trimmed);
  if (dash) {
    const min = Number(dash[1]);
    const max = Number(dash[2]);
    return min <= max ? ok({ min, max }) : fail(`status range \`${trimmed}\` ends before it starts`);
  }
  const masked = /^(\d+)(x*)$/.exec(trimmed);
  if (!masked) return fail(`expected ${usage}, got \`${text}\``);
  const scale = 10 ** (masked[2] ?? '').length;
  const value = Number(masked[1]);
  return ok({ min: value * scale, max: (value + 1) * scale - 1 });
}

/**
 * The key of one `action`/`multiplex` case: ranges between 100 and 599, separated by commas.
 * Returns undefined for `other`.
 */
export function parseStatusKey(text: string): Parsed<StatusRange[] | undefined> {
  if (text.trim() === 'other') return ok(undefined);
  const ranges: StatusRange[] = [];
  for (const part of text.split(',')) {
    const range = parseStatusRange(part);
    if (!range.ok) return fail(`in \`${text}\`: ${range.message}`);
    if (range.value.min < 100 || range.value.max > 599) {
      return fail(`in \`${text}\`: status range ${range.value.min}-${range.value.max} is outside 100-599`);
    }
    ranges.push(range.value);
  }
  return ok(ranges);
}

/** The first pair of overlapping ranges, if any. */
export function findOverlap(ranges: readonly StatusRange[]): [StatusRange, StatusRange] | undefined {
  const sorted = [...ranges].sort((a, b) => a.min - b.min);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as StatusRange;
    const current = sorted[i] as StatusRange;
    if (current.min <= previous.max) return [previous, current];
  }
  return undefined;
}
