/**
 * Processors (they receive data: response bodies, header values, JSON parts): `store` (legacy `simple`), `storeInt`,
 * `array`, `collection`, `count`, `queue`, `conditional`, `gzipInflator`, `logInvalid`, `closeConnection`.
 * Every action is a processor too (run once per received part).
 */
import { bool, INVALID, int, map, object, optional } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { conditionOf, conditionPropsCodecs } from '../conditions.js';
import type { Condition } from '../conditions.js';
import { forms, inline, valueNodeOf } from '../forms.js';
import type { VarRef } from '../model.js';
import { parseArrayTarget, varRef } from '../var-ref.js';
import { dataFormat } from './common.js';
import type { DataFormat } from './common.js';
import type { ActionSpec, ProcessorSpec } from './index.js';
import { actionList, processorList } from './lists.js';
import { sequenceRef } from './scope.js';

/** `store`: stores the whole (defragmented) data into `toVar`, the last value winning. */
export interface StoreConfig {
  readonly toVar: VarRef;
  /** Default STRING. */
  readonly format: DataFormat;
}

function storeLike(what: string): Codec<StoreConfig> {
  return forms<StoreConfig>(what, {
    inline: map(varRef, (toVar) => ({ toVar, format: 'STRING' as const })),
    mapping: map(object({
      toVar: optional(varRef, 'Target variable.'),
      format: optional(dataFormat, 'STRING (default), BYTES or BYTEBUF.'),
    }, { what }), (v, node, cx): Decoded<StoreConfig> => {
      if (v.toVar === undefined) {
        cx.problem(node, `${what} needs \`toVar\``);
        return INVALID;
      }
      return { toVar: v.toVar, format: v.format ?? 'STRING' };
    }),
  });
}

export const storeCodec: Codec<StoreConfig> = storeLike('store');

/** `simple`: the pre-0.10 name of `store`; accepted with a warning. */
const simpleBase = storeLike('simple');
export const simpleCodec: Codec<StoreConfig> = {
  ...simpleBase,
  decode(node, cx) {
    cx.warn(node, '`simple` was renamed to `store`');
    return simpleBase.decode(node, cx);
  },
};

/** `storeInt`: parses the data as an int into `toVar`. */
export interface StoreIntConfig {
  readonly toVar: VarRef;
  /** Allow later parts to overwrite the value; default false (the first value stays). */
  readonly override: boolean;
}

export const storeIntCodec: Codec<StoreIntConfig> = forms<StoreIntConfig>('storeInt', {
  inline: map(varRef, (toVar) => ({ toVar, override: false })),
  mapping: map(object({
    toVar: optional(varRef, 'Target int variable.'),
    override: optional(bool, 'Let a later value overwrite the first. Default false.'),
  }, { what: 'storeInt' }), (v, node, cx): Decoded<StoreIntConfig> => {
    if (v.toVar === undefined) {
      cx.problem(node, 'storeInt needs `toVar`');
      return INVALID;
    }
    return { toVar: v.toVar, override: v.override ?? false };
  }),
});

/** `array`: appends each item to an array variable of `maxSize` slots. */
export interface ArrayConfig {
  readonly toVar: string;
  readonly maxSize: number;
  /** Default STRING. */
  readonly format: DataFormat;
  /** Do not warn when the array is full. Default false. */
  readonly silent: boolean;
}

export const arrayCodec: Codec<ArrayConfig> = forms<ArrayConfig>('array', {
  inline: inline('`variable[maxSize]` such as `ids[10]`', (text) => {
    const target = parseArrayTarget(text);
    return target.ok ? { ok: true as const, value: { toVar: target.value.name, maxSize: target.value.maxSize, format: 'STRING' as const, silent: false } } : target;
  }),
  mapping: map(object({
    toVar: optional(varRef, 'Array variable.'),
    maxSize: optional(int({ min: 1, max: 2147483647 }), 'Number of slots.'),
    format: optional(dataFormat, 'STRING (default), BYTES or BYTEBUF.'),
    silent: optional(bool, 'Do not warn when the array is full.'),
  }, { what: 'array' }), (v, node, cx): Decoded<ArrayConfig> => {
    if (v.toVar === undefined || v.maxSize === undefined) {
      cx.problem(node, `array needs ${v.toVar === undefined ? '`toVar`' : '`maxSize`'}`);
      return INVALID;
    }
    if (v.toVar.indexed) {
      cx.problem(valueNodeOf(node, 'toVar', cx) ?? node, 'array.toVar names the array variable itself, not an element (`[.]`)');
      return INVALID;
    }
    return { toVar: v.toVar.name, maxSize: v.maxSize, format: v.format ?? 'STRING', silent: v.silent ?? false };
  }),
});

/** `collection`: appends each item to an unbounded list (allocates during the run; use sparingly). */
export interface CollectionConfig {
  readonly toVar: VarRef;
  readonly format: DataFormat;
}

export const collectionCodec: Codec<CollectionConfig> = forms<CollectionConfig>('collection', {
  inline: map(varRef, (toVar) => ({ toVar, format: 'STRING' as const })),
  mapping: map(object({
    toVar: optional(varRef, 'List variable.'),
    format: optional(dataFormat, 'STRING (default), BYTES or BYTEBUF.'),
  }, { what: 'collection' }), (v, node, cx): Decoded<CollectionConfig> => {
    if (v.toVar === undefined) {
      cx.problem(node, 'collection needs `toVar`');
      return INVALID;
    }
    return { toVar: v.toVar, format: v.format ?? 'STRING' };
  }),
});

/** `count`: counts the parts it receives into the int variable `toVar`. */
export interface CountConfig {
  readonly toVar: VarRef;
}

export const countCodec: Codec<CountConfig> = forms<CountConfig>('count', {
  inline: map(varRef, (toVar) => ({ toVar })),
  mapping: map(object({ toVar: optional(varRef, 'Int variable counting the parts.') }, { what: 'count' }), (v, node, cx): Decoded<CountConfig> => {
    if (v.toVar === undefined) {
      cx.problem(node, 'count needs `toVar`');
      return INVALID;
    }
    return { toVar: v.toVar };
  }),
});

/**
 * `queue`: queues each item (up to `maxSize`) and runs up to `concurrency` instances of `sequence` on them; an
 * instance reads its item as `var[.]`. `onCompletion` runs when the last item has been consumed.
 */
export interface QueueConfig {
  readonly var: string;
  readonly maxSize: number;
  readonly concurrency: number;
  readonly sequence: string;
  readonly format: DataFormat;
  readonly onCompletion: readonly ActionSpec[];
}

export const queueCodec: Codec<QueueConfig> = forms<QueueConfig>('queue', {
  mapping: map(object({
    var: optional(varRef, 'Array variable the sequences read their item from (as `var[.]`).'),
    maxSize: optional(int({ min: 1, max: 2147483647 }), 'Maximum number of queued items.'),
    concurrency: optional(int({ min: 1, max: 2147483647 }), 'Maximum number of sequence instances running at once.'),
    sequence: optional(sequenceRef, 'Sequence started for each item.'),
    format: optional(dataFormat, 'STRING (default), BYTES or BYTEBUF.'),
    onCompletion: optional(actionList, 'Actions run when the last item has been consumed.'),
  }, { what: 'queue' }), (v, node, cx): Decoded<QueueConfig> => {
    const missing = (['var', 'maxSize', 'concurrency', 'sequence'] as const).filter((k) => v[k] === undefined);
    if (missing.length > 0) {
      cx.problem(node, `queue needs ${missing.map((k) => `\`${k}\``).join(', ')}`);
      return INVALID;
    }
    return {
      var: (v.var as VarRef).name, maxSize: v.maxSize as number, concurrency: v.concurrency as number,
      sequence: v.sequence as string, format: v.format ?? 'STRING', onCompletion: v.onCompletion ?? [],
    };
  }),
});

/** `conditional` as a processor: passes the data on to `processors` when `condition` holds. */
export interface ConditionalProcessorConfig {
  readonly condition: Condition;
  readonly processors: readonly ProcessorSpec[];
}

export const conditionalProcessorCodec: Codec<ConditionalProcessorConfig> = forms<ConditionalProcessorConfig>('conditional', {
  mapping: map(object({ ...conditionPropsCodecs(), processor: optional(processorList, 'Processors run when the condition holds.') }, { what: 'conditional (processor)' }),
    (v, node, cx): Decoded<ConditionalProcessorConfig> => {
      const condition = conditionOf(v, 'conditional', node, cx, true);
      if (!condition) return INVALID;
      if (!v.processor || v.processor.length === 0) {
        cx.problem(node, 'conditional (as a processor) needs `processor`');
        return INVALID;
      }
      return { condition, processors: v.processor };
    }),
});

/** `gzipInflator`: inflates gzip data (when the variable `encodingVar` holds `gzip`) before passing it on. */
export interface GzipInflatorConfig {
  /** Set by a header handler to the response's Content-Encoding; absent = always inflate. */
  readonly encodingVar?: VarRef;
  readonly processors: readonly ProcessorSpec[];
}

export const gzipInflatorCodec: Codec<GzipInflatorConfig> = forms<GzipInflatorConfig>('gzipInflator', {
  mapping: map(object({
    encodingVar: optional(varRef, 'Variable holding the content encoding (from a header handler).'),
    processor: optional(processorList, 'Processors receiving the inflated data.'),
  }, { what: 'gzipInflator' }), (v, node, cx): Decoded<GzipInflatorConfig> => {
    if (!v.processor || v.processor.length === 0) {
      cx.problem(node, 'gzipInflator needs `processor`, receiving the inflated data');
      return INVALID;
    }
    return { ...(v.encodingVar ? { encodingVar: v.encodingVar } : {}), processors: v.processor };
  }),
});
