/**
 * Random generators: `randomInt`, `randomItem`, `randomCsvRow`, `randomFile`, `randomUUID`.
 * Data files are read when the benchmark is read (relative to it, through the decode context) so that a missing or
 * malformed file is reported with the benchmark's other problems; the parsed items and rows are kept in the config.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YNode } from 'yaml';
import { bool, deprecated, entries, INVALID, map, nonEmptyStr, num, object, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { fail, forms, inline, ok, valueNodeOf } from '../forms.js';
import { INT_MAX, intSource } from '../int-source.js';
import type { IntSource, VarRef } from '../model.js';
import { parseVarRef, varRef } from '../var-ref.js';
import type { Parsed } from '../../lib/index.js';
import { splitArrow } from './common.js';

// ---------------------------------------------------------------------------------------------------------------
// randomInt

/** `randomInt`: a uniformly distributed int in [min, max] (both inclusive) into `toVar`. */
export interface RandomIntConfig {
  readonly toVar: VarRef;
  /** Default 0. */
  readonly min: IntSource;
  /** Default 2147483647. */
  readonly max: IntSource;
}

const RANDOM_INT_USAGE = '`variable <- min .. max` such as `id <- 1 .. 999`';

function parseRandomIntInline(text: string): Parsed<RandomIntConfig> {
  const match = /^(.+?)\s*<-\s*([-+]?\d+)\s*\.\.\s*([-+]?\d+)$/.exec(text);
  if (!match) return fail(`expected ${RANDOM_INT_USAGE}, got \`${text}\``);
  const ref = parseVarRef(match[1] ?? '');
  if (!ref.ok) return fail(`expected ${RANDOM_INT_USAGE}, got \`${text}\`: ${ref.message}`);
  return checkRange({ toVar: ref.value, min: { value: Number(match[2]) }, max: { value: Number(match[3]) } });
}

function checkRange(config: RandomIntConfig): Parsed<RandomIntConfig> {
  const { min, max } = config;
  for (const bound of [min, max]) {
    if ('value' in bound && (bound.value < -2147483648 || bound.value > INT_MAX)) {
      return fail(`randomInt: ${bound.value} is outside the int range`);
    }
  }
  if ('value' in min && 'value' in max && min.value > max.value) {
    return fail(`randomInt: min (${min.value}) is greater than max (${max.value})`);
  }
  return ok(config);
}

export const randomIntCodec: Codec<RandomIntConfig> = forms<RandomIntConfig>('randomInt', {
  inline: inline(RANDOM_INT_USAGE, parseRandomIntInline),
  mapping: map(
    object({
      toVar: optional(varRef, 'Target int variable.'),
      min: optional(intSource, 'Lowest value (inclusive); default 0.'),
      max: optional(intSource, 'Highest value (inclusive); default 2147483647.'),
    }, { what: 'randomInt' }),
    (v, node, cx): Decoded<RandomIntConfig> => {
      if (v.toVar === undefined) {
        cx.problem(node, 'randomInt needs `toVar`');
        return INVALID;
      }
      const checked = checkRange({ toVar: v.toVar, min: v.min ?? { value: 0 }, max: v.max ?? { value: INT_MAX } });
      if (!checked.ok) {
        cx.problem(node, checked.message);
        return INVALID;
      }
      return checked.value;
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// Weighted lists (randomItem.list, randomFile.files)

export interface WeightedItems {
  readonly items: readonly string[];
  /** Relative weights, one per item; absent = all equally likely. */
  readonly weights?: readonly number[];
}

const weight = num({ min: 0 });

/**
 * `[a, b]`, `[{a: 2}, {b: 1}]` or `{a: 2, b: 1}`. Plain and weighted items cannot be mixed; a weighted item may not
 * appear twice.
 */
function weightedItems(what: string): Codec<WeightedItems> {
  const asEntries = entries(weight, { forms: 'both', what: `${what} item` });
  return {
    expected: `a list of items, or items with weights (\`item: weight\`)`,
    decode(raw, cx): Decoded<WeightedItems> {
      const node = cx.deref(raw);
      if (isSeq(node)) {
        const items = (node.items as YNode[]).map((item) => cx.deref(item));
        const plain = items.filter((item) => isScalar(item));
        if (plain.length === items.length) {
          const texts: string[] = [];
          for (const item of plain) {
            const text = String((item as { value?: unknown }).value ?? '');
            texts.push(text);
          }
          return { items: texts };
        }
        if (plain.length > 0) {
          cx.problem(plain[0] as YNode, `${what}: cannot mix plain items and weighted items (\`item: weight\`)`);
          return INVALID;
        }
      } else if (!isMap(node)) {
        cx.problem(node, `${what}: expected a list of items or a mapping \`item: weight\``);
        return INVALID;
      }
      const decoded = asEntries.decode(node, cx);
      if (decoded === INVALID) return INVALID;
      const seen = new Set<string>();
      for (const entry of decoded) {
        if (seen.has(entry.key)) {
          cx.problem(entry.keyNode, `${what}: item \`${entry.key}\` appears twice`);
          return INVALID;
        }
        seen.add(entry.key);
      }
      if (decoded.length > 0 && decoded.every((e) => e.value === 0)) {
        cx.problem(node, `${what}: the weights add up to 0`);
        return INVALID;
      }
      return { items: decoded.map((e) => e.key), weights: decoded.map((e) => e.value) };
    },
    schema: (defs) => ({
      anyOf: [{ type: 'array', items: { type: 'string' } }, asEntries.schema(defs)],
    }),
  };
}

/** Splits a text file into its non-empty lines (`\n`, `\r\n` or `\r` endings). */
export function nonEmptyLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/).filter((line) => line !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// randomItem

export type RandomItemSource =
  /** From `list`, or the non-empty lines of `file`. */
  | ({ readonly kind: 'items'; readonly file?: string } & WeightedItems)
  /** A random element of the array or collection held in `fromVar` (an array: among its leading set elements). */
  | { readonly kind: 'fromVar'; readonly fromVar: VarRef };

/** `randomItem`: stores a random item into `toVar`. */
export interface RandomItemConfig {
  readonly toVar: VarRef;
  readonly source: RandomItemSource;
}

export const randomItemCodec: Codec<RandomItemConfig> = forms<RandomItemConfig>('randomItem', {
  inline: inline('`toVar <- fromVar`', (text) => {
    const parts = splitArrow(text, '<-', '`toVar <- fromVar`');
    if (!parts.ok) return parts;
    const to = parseVarRef(parts.value[0]);
    const from = parseVarRef(parts.value[1]);
    if (!to.ok) return to;
    if (!from.ok) return from;
    return ok({ toVar: to.value, source: { kind: 'fromVar', fromVar: from.value } });
  }),
  mapping: map(
    object({
      toVar: optional(varRef, 'Variable that receives the chosen item.'),
      list: optional(weightedItems('randomItem.list'), 'Items to choose from, optionally weighted (`item: weight`).'),
      file: optional(nonEmptyStr('a file name'), 'A file (relative to the benchmark) whose non-empty lines are the items.'),
      fromVar: optional(varRef, 'Variable holding an array or collection to choose from.'),
    }, { what: 'randomItem' }),
    (v, node, cx): Decoded<RandomItemConfig> => {
      if (v.toVar === undefined) {
        cx.problem(node, 'randomItem needs `toVar`');
        return INVALID;
      }
      const given = (['list', 'file', 'fromVar'] as const).filter((k) => v[k] !== undefined);
      if (given.length !== 1) {
        cx.problem(node, given.length === 0 ? 'randomItem needs one of `list`, `file`, `fromVar`'
          : `randomItem takes only one of \`list\`, \`file\`, \`fromVar\`, got ${given.map((k) => `\`${k}\``).join(', ')}`);
        return INVALID;
      }
      if (v.fromVar !== undefined) return { toVar: v.toVar, source: { kind: 'fromVar', fromVar: v.fromVar } };
      if (v.list !== undefined) {
        if (v.list.items.length === 0) {
          cx.problem(node, 'randomItem.list is empty');
          return INVALID;
        }
        return { toVar: v.toVar, source: { kind: 'items', ...v.list } };
      }
      const fileNode = valueNodeOf(node, 'file', cx) ?? node;
      const content = cx.loadFile(v.file as string, fileNode);
      if (!content) return INVALID;
      const items = nonEmptyLines(content.toString('utf8'));
      if (items.length === 0) {
        cx.problem(fileNode, `randomItem: file \`${v.file}\` has no non-empty lines`);
        return INVALID;
      }
      return { toVar: v.toVar, source: { kind: 'items', file: v.file as string, items } };
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// randomCsvRow

/** `randomCsvRow`: picks a random row of a CSV file and stores the mapped columns into variables. */
export interface RandomCsvRowConfig {
  readonly file: string;
  /** Mapped columns, by ascending column index. */
  readonly columns: ReadonlyArray<{ readonly index: number; readonly toVar: VarRef }>;
  /** `rows[r][c]` is the value of `columns[c]` in row r; null when the row is shorter. Quotes already removed. */
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
  readonly separator: string;
  readonly skipComments: boolean;
}

/**
 * Hyperfoil's CSV reading: fields split at `separator`; a field that starts with `"` is quoted (`""` inside is a
 * quote) and may span lines; with `skipComments`, lines starting with `#` (after blanks) outside quotes are skipped.
 */
export function parseCsv(text: string, separator: string, skipComments: boolean): Parsed<string[][]> {
  const records: string[][] = [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let lineNumber = 0;
  for (const line of lines) {
    lineNumber++;
    if (!quoted && skipComments && line.trimStart().startsWith('#')) continue;
    if (quoted) field += '\n';
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (!quoted) {
        if (c === separator) {
          record.push(field);
          field = '';
        } else if (c === '"') {
          if (field !== '') return fail(`line ${lineNumber}: a quote in the middle of a field (check for blanks before the opening quote)`);
          quoted = true;
        } else {
          field += c;
        }
      } else if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          const next = line[i + 1];
          if (next !== undefined && next !== separator) {
            return fail(`line ${lineNumber}: unexpected \`${next}\` after a closing quote`);
          }
        }
      } else {
        field += c;
      }
    }
    if (!quoted) {
      record.push(field);
      field = '';
      records.push(record);
      record = [];
    }
  }
  if (quoted) return fail('the file ends inside a quoted field');
  return ok(records);
}

const columnIndex = /^\d+$/;

export const randomCsvRowCodec: Codec<RandomCsvRowConfig> = forms<RandomCsvRowConfig>('randomCsvRow', {
  mapping: map(
    object({
      file: optional(nonEmptyStr('a file name'), 'CSV file, relative to the benchmark.'),
      columns: optional(entries(varRef, { forms: 'both', what: 'column' }), 'Column index (from 0) → variable.'),
      separator: optional(str, 'Field separator, one character; default `,`.'),
      skipComments: optional(bool, 'Skip lines starting with `#`. Default false.'),
      removeQuotes: deprecated(bool, 'quotes are always removed, this property does nothing'),
    }, { what: 'randomCsvRow' }),
    (v, node, cx): Decoded<RandomCsvRowConfig> => {
      if (v.file === undefined || v.columns === undefined) {
        cx.problem(node, `randomCsvRow needs ${v.file === undefined ? '`file`' : '`columns` (column index → variable)'}`);
        return INVALID;
      }
      const separator = v.separator ?? ',';
      if ([...separator].length !== 1) {
        cx.problem(valueNodeOf(node, 'separator', cx) ?? node, `randomCsvRow.separator must be one character, got \`${separator}\``);
        return INVALID;
      }
      const columns: Array<{ index: number; toVar: VarRef }> = [];
      const used = new Map<number, string>();
      let valid = true;
      for (const entry of v.columns) {
        const key = entry.key.trim();
        if (!columnIndex.test(key) || !Number.isSafeInteger(Number(key))) {
          cx.problem(entry.keyNode, `randomCsvRow.columns: \`${entry.key}\` is not a column index (0, 1, 2 …)`);
          valid = false;
          continue;
        }
        const index = Number(key);
        const previous = used.get(index);
        if (previous !== undefined) {
          cx.problem(entry.keyNode, `randomCsvRow.columns: column ${index} is already mapped to \`${previous}\``);
          valid = false;
          continue;
        }
        used.set(index, entry.value.name);
        columns.push({ index, toVar: entry.value });
      }
      if (!valid) return INVALID;
      if (columns.length === 0) {
        cx.problem(node, 'randomCsvRow.columns maps no column');
        return INVALID;
      }
      columns.sort((a, b) => a.index - b.index);
      const fileNode = valueNodeOf(node, 'file', cx) ?? node;
      const content = cx.loadFile(v.file, fileNode);
      if (!content) return INVALID;
      const parsed = parseCsv(content.toString('utf8'), separator, v.skipComments ?? false);
      if (!parsed.ok) {
        cx.problem(fileNode, `randomCsvRow: \`${v.file}\` is not valid CSV: ${parsed.message}`);
        return INVALID;
      }
      const rows = parsed.value.map((record) => columns.map((c) => record[c.index] ?? null));
      return { file: v.file, columns, rows, separator, skipComments: v.skipComments ?? false };
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// randomFile, randomUUID

/** `randomFile`: the bytes of a randomly chosen file into `toVar` (file contents are in `Benchmark.files`). */
export interface RandomFileConfig {
  readonly toVar: VarRef;
  /** Also store the chosen file name. */
  readonly filenameVar?: VarRef;
  /** File names as written (keys of `Benchmark.files`), with optional weights. */
  readonly files: WeightedItems;
}

export const randomFileCodec: Codec<RandomFileConfig> = forms<RandomFileConfig>('randomFile', {
  mapping: map(
    object({
      toVar: optional(varRef, 'Variable that receives the file bytes.'),
      filenameVar: optional(varRef, 'Variable that receives the chosen file name.'),
      files: optional(weightedItems('randomFile.files'), 'Files (relative to the benchmark), optionally weighted.'),
    }, { what: 'randomFile' }),
    (v, node, cx): Decoded<RandomFileConfig> => {
      if (v.toVar === undefined || v.files === undefined) {
        cx.problem(node, `randomFile needs ${v.toVar === undefined ? '`toVar`' : '`files`'}`);
        return INVALID;
      }
      if (v.files.items.length === 0) {
        cx.problem(node, 'randomFile.files is empty');
        return INVALID;
      }
      const filesNode = valueNodeOf(node, 'files', cx) ?? node;
      let valid = true;
      for (const file of v.files.items) {
        if (!cx.loadFile(file, filesNode)) valid = false;
      }
      if (!valid) return INVALID;
      return { toVar: v.toVar, ...(v.filenameVar ? { filenameVar: v.filenameVar } : {}), files: v.files };
    },
  ),
});

/** `randomUUID`: a random (version 4) UUID as text into `toVar`. */
export interface RandomUuidConfig {
  readonly toVar: VarRef;
}

export const randomUuidCodec: Codec<RandomUuidConfig> = forms<RandomUuidConfig>('randomUUID', {
  inline: map(varRef, (toVar) => ({ toVar })),
  mapping: map(object({ toVar: optional(varRef, 'Target variable.') }, { what: 'randomUUID' }), (v, node, cx): Decoded<RandomUuidConfig> => {
    if (v.toVar === undefined) {
      cx.problem(node, 'randomUUID needs `toVar`');
      return INVALID;
    }
    return { toVar: v.toVar };
  }),
});
