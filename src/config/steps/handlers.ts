/**
 * `httpRequest.handler`: what happens with the response.
 *   status        status handlers: range, action, multiplex, counter, store, stats
 *   header        header handlers: filter, conditional, countHeaders, recordHeaderTime, logInvalid
 *   body          processors (actions included)
 *   rawBytes      raw-bytes handlers: transferSizeRecorder
 *   onCompletion  actions run when the response is complete (also after a failure that completes the request)
 *   autoRangeCheck / stopOnInvalid / followRedirect: per-request overrides of the `ergonomics` defaults
 * Each handler list is written as a list (`- range: 2xx`) or a mapping (`range: 2xx`).
 */
import { bool, components, entries, INVALID, int, map, named, object, oneOf, optional } from '../codec.js';
import type { Codec, ComponentOf, Decoded } from '../codec.js';
import { conditionOf, conditionPropsCodecs, stringMatch } from '../conditions.js';
import type { Condition, StringMatch } from '../conditions.js';
import { forms, inline, valueNodeOf } from '../forms.js';
import { javaInt } from '../int-source.js';
import type { FollowRedirect, VarRef } from '../model.js';
import { identifier, varRef } from '../var-ref.js';
import { noConfig } from './common.js';
import type { NoConfig } from './common.js';
import type { ActionSpec, ProcessorSpec } from './index.js';
import { actionList, processorList } from './lists.js';
import { findOverlap, parseStatusKey, parseStatusRange } from './status-ranges.js';
import type { StatusRange } from './status-ranges.js';

// ---------------------------------------------------------------------------------------------------------------
// Status handlers

/** `range`: marks the request invalid when the status is outside [min, max]. Default 200-299. */
export type RangeConfig = StatusRange;

const rangeCodec: Codec<RangeConfig> = forms<RangeConfig>('status.range', {
  inline: inline('a status (`204`), a masked status (`2xx`) or a range (`200-399`)', parseStatusRange),
  mapping: map(object({
    min: optional(int({ min: 0, max: 999 }), 'Lowest accepted status; default 200.'),
    max: optional(int({ min: 0, max: 999 }), 'Highest accepted status; default 299.'),
  }, { what: 'status.range' }), (v, node, cx): Decoded<RangeConfig> => {
    const range = { min: v.min ?? 200, max: v.max ?? 299 };
    if (range.min > range.max) {
      cx.problem(node, `status.range: min ${range.min} is greater than max ${range.max}`);
      return INVALID;
    }
    return range;
  }),
});

/** Cases of `action` / `multiplex`: the first whose ranges contain the status applies, else `other`. */
export interface StatusCases<T> {
  readonly cases: ReadonlyArray<{ readonly ranges: readonly StatusRange[]; readonly then: T }>;
  readonly other?: T;
}

function statusCases<T>(what: string, value: Codec<T>): Codec<StatusCases<T>> {
  return map(entries(value, { forms: 'mapping', what: `${what} case` }), (decoded, _node, cx): Decoded<StatusCases<T>> => {
    const cases: Array<{ ranges: StatusRange[]; then: T }> = [];
    let other: T | undefined;
    const all: StatusRange[] = [];
    for (const entry of decoded) {
      const key = parseStatusKey(entry.key);
      if (!key.ok) {
        cx.problem(entry.keyNode, `${what}: ${key.message}`);
        return INVALID;
      }
      if (key.value === undefined) {
        other = entry.value;
        continue;
      }
      const overlap = findOverlap([...all, ...key.value]);
      if (overlap) {
        cx.problem(entry.keyNode, `${what}: status ranges ${overlap[0].min}-${overlap[0].max} and ${overlap[1].min}-${overlap[1].max} overlap`);
        return INVALID;
      }
      all.push(...key.value);
      cases.push({ ranges: key.value, then: entry.value });
    }
    return { cases, ...(other !== undefined ? { other } : {}) };
  });
}

/** `action`: runs actions chosen by the status (`"2xx,304": [actions]`, `other: …`). */
export interface StatusActionConfig extends StatusCases<readonly ActionSpec[]> {}
/** `multiplex`: runs other status handlers chosen by the status. */
export interface MultiplexConfig extends StatusCases<readonly StatusHandlerSpec[]> {}

/** `counter`: counts (`add`) or flags (`set`) responses with status `expectStatus` (all, when absent) in `var`. */
export interface StatusCounterConfig {
  readonly var: VarRef;
  readonly expectStatus?: number;
  /** Added to `init` when the variable is not set yet. Default 0. */
  readonly init: number;
  readonly update: { readonly kind: 'add' | 'set'; readonly value: number };
}

const counterCodec: Codec<StatusCounterConfig> = forms<StatusCounterConfig>('status.counter', {
  mapping: map(object({
    var: optional(varRef, 'Int variable.'),
    expectStatus: optional(int({ min: 0, max: 999 }), 'Only this status counts; default all.'),
    init: optional(javaInt, 'Initial value; default 0.'),
    add: optional(javaInt, 'Added for each matching response.'),
    set: optional(javaInt, 'Set (instead of adding) for each matching response.'),
  }, { what: 'status.counter' }), (v, node, cx): Decoded<StatusCounterConfig> => {
    if (v.var === undefined) {
      cx.problem(node, 'status.counter needs `var`');
      return INVALID;
    }
    if ((v.add === undefined) === (v.set === undefined)) {
      cx.problem(node, 'status.counter needs exactly one of `add` and `set`');
      return INVALID;
    }
    return {
      var: v.var, ...(v.expectStatus !== undefined ? { expectStatus: v.expectStatus } : {}), init: v.init ?? 0,
      update: v.add !== undefined ? { kind: 'add', value: v.add } : { kind: 'set', value: v.set as number },
    };
  }),
});

/** `store`: stores the status (an int) into `toVar`. */
export interface StatusStoreConfig {
  readonly toVar: VarRef;
}

const statusStoreCodec: Codec<StatusStoreConfig> = forms<StatusStoreConfig>('status.store', {
  inline: map(varRef, (toVar) => ({ toVar })),
  mapping: map(object({ toVar: optional(varRef, 'Target int variable.') }, { what: 'status.store' }), (v, node, cx): Decoded<StatusStoreConfig> => {
    if (v.toVar === undefined) {
      cx.problem(node, 'status.store needs `toVar`');
      return INVALID;
    }
    return { toVar: v.toVar };
  }),
});

const statusHandlerList: Codec<StatusHandlerSpec[]> = named('statusHandlers', () => components(statusHandlerRegistry, { allowMapping: true }));

type StatusHandlerCodecs = {
  range: Codec<RangeConfig>;
  action: Codec<StatusActionConfig>;
  multiplex: Codec<MultiplexConfig>;
  counter: Codec<StatusCounterConfig>;
  store: Codec<StatusStoreConfig>;
  stats: Codec<NoConfig>;
};

export const statusHandlerCodecs: StatusHandlerCodecs = {
  range: rangeCodec,
  action: statusCases('status.action', actionList) as Codec<StatusActionConfig>,
  multiplex: statusCases('status.multiplex', statusHandlerList) as Codec<MultiplexConfig>,
  counter: counterCodec,
  store: statusStoreCodec,
  /** Counts each status in custom statistics (`stats -c`). */
  stats: noConfig('status.stats'),
};

export type StatusHandlerSpec = ComponentOf<StatusHandlerCodecs>;

export const statusHandlerRegistry = { what: 'status handler', codecs: statusHandlerCodecs };

// ---------------------------------------------------------------------------------------------------------------
// Header handlers

/** `filter`: passes the values of headers whose name matches `header` to `processors`. */
export interface HeaderFilterConfig {
  readonly header: StringMatch;
  readonly processors: readonly ProcessorSpec[];
}

const filterCodec: Codec<HeaderFilterConfig> = forms<HeaderFilterConfig>('header.filter', {
  mapping: map(object({
    header: optional(stringMatch('header.filter.header'), 'Header name: the exact name, or a string match.'),
    processor: optional(processorList, 'Processors receiving the header values.'),
  }, { what: 'header.filter' }), (v, node, cx): Decoded<HeaderFilterConfig> => {
    if (v.header === undefined || v.processor === undefined || v.processor.length === 0) {
      cx.problem(node, `header.filter needs ${v.header === undefined ? '`header`' : '`processor`'}`);
      return INVALID;
    }
    return { header: v.header, processors: v.processor };
  }),
});

/** `conditional`: passes headers to `handlers` when `condition` holds. */
export interface HeaderConditionalConfig {
  readonly condition: Condition;
  readonly handlers: readonly HeaderHandlerSpec[];
}

const headerHandlerList: Codec<HeaderHandlerSpec[]> = named('headerHandlers', () => components(headerHandlerRegistry, { allowMapping: true }));

const headerConditionalCodec: Codec<HeaderConditionalConfig> = forms<HeaderConditionalConfig>('header.conditional', {
  mapping: map(object({ ...conditionPropsCodecs(), handler: optional(headerHandlerList, 'Header handlers run when the condition holds.') }, { what: 'header.conditional' }),
    (v, node, cx): Decoded<HeaderConditionalConfig> => {
      const condition = conditionOf(v, 'header.conditional', node, cx, true);
      if (!condition) return INVALID;
      if (!v.handler || v.handler.length === 0) {
        cx.problem(node, 'header.conditional needs `handler`');
        return INVALID;
      }
      return { condition, handlers: v.handler };
    }),
});

/** `recordHeaderTime`: records the time carried by a response header as the metric `metric`. */
export interface RecordHeaderTimeConfig {
  /** Header name (matched ignoring case). */
  readonly header: string;
  /** Default: the header name. */
  readonly metric: string;
  /** Unit of the header's value. Default ns. */
  readonly unit: 'ms' | 'ns';
}

const recordHeaderTimeCodec: Codec<RecordHeaderTimeConfig> = forms<RecordHeaderTimeConfig>('header.recordHeaderTime', {
  inline: map(identifier('header name'), (header) => ({ header, metric: header, unit: 'ns' as const })),
  mapping: map(object({
    header: optional(identifier('header name'), 'Header carrying the time.'),
    metric: optional(identifier('metric name'), 'Metric name; default the header name.'),
    unit: optional(oneOf(['ms', 'ns'] as const), 'Unit of the value: ms or ns (default).'),
  }, { what: 'header.recordHeaderTime' }), (v, node, cx): Decoded<RecordHeaderTimeConfig> => {
    if (v.header === undefined) {
      cx.problem(node, 'header.recordHeaderTime needs `header`');
      return INVALID;
    }
    if (/[^\x20-\xff]/.test(v.header)) {
      cx.problem(valueNodeOf(node, 'header', cx) ?? node, 'header.recordHeaderTime: the header name must be ASCII');
      return INVALID;
    }
    return { header: v.header, metric: v.metric ?? v.header, unit: v.unit ?? 'ns' };
  }),
});

type HeaderHandlerCodecs = {
  filter: Codec<HeaderFilterConfig>;
  conditional: Codec<HeaderConditionalConfig>;
  countHeaders: Codec<NoConfig>;
  recordHeaderTime: Codec<RecordHeaderTimeConfig>;
  logInvalid: Codec<NoConfig>;
};

export const headerHandlerCodecs: HeaderHandlerCodecs = {
  filter: filterCodec,
  conditional: headerConditionalCodec,
  /** Counts each header name in custom statistics. */
  countHeaders: noConfig('header.countHeaders'),
  recordHeaderTime: recordHeaderTimeCodec,
  /** Logs the headers of requests marked invalid. */
  logInvalid: noConfig('header.logInvalid'),
};

export type HeaderHandlerSpec = ComponentOf<HeaderHandlerCodecs>;

export const headerHandlerRegistry = { what: 'header handler', codecs: headerHandlerCodecs };

// ---------------------------------------------------------------------------------------------------------------
// Raw bytes handlers

/** `transferSizeRecorder`: adds request and response sizes (bytes on the wire) to custom statistics named by `key`. */
export interface TransferSizeRecorderConfig {
  readonly key: string;
}

export const rawBytesHandlerCodecs = {
  transferSizeRecorder: forms<TransferSizeRecorderConfig>('rawBytes.transferSizeRecorder', {
    mapping: map(object({ key: optional(identifier('metric name'), 'Name of the custom statistics.') }, { what: 'transferSizeRecorder' }),
      (v, node, cx): Decoded<TransferSizeRecorderConfig> => {
        if (v.key === undefined) {
          cx.problem(node, 'transferSizeRecorder needs `key`, the name of the custom statistics');
          return INVALID;
        }
        return { key: v.key };
      }),
  }),
};

export type RawBytesHandlerSpec = ComponentOf<typeof rawBytesHandlerCodecs>;

export const rawBytesHandlerRegistry = { what: 'raw bytes handler', codecs: rawBytesHandlerCodecs };

// ---------------------------------------------------------------------------------------------------------------
// The handler block

export interface HttpHandlersConfig {
  readonly status: readonly StatusHandlerSpec[];
  readonly header: readonly HeaderHandlerSpec[];
  readonly body: readonly ProcessorSpec[];
  readonly rawBytes: readonly RawBytesHandlerSpec[];
  readonly onCompletion: readonly ActionSpec[];
  /** Absent: `ergonomics.autoRangeCheck` (mark 4xx/5xx invalid). */
  readonly autoRangeCheck?: boolean;
  /** Absent: `ergonomics.stopOnInvalid` (stop the session after an invalid response). */
  readonly stopOnInvalid?: boolean;
  /** Absent: `ergonomics.followRedirect`. */
  readonly followRedirect?: FollowRedirect;
}

export const NO_HANDLERS: HttpHandlersConfig = { status: [], header: [], body: [], rawBytes: [], onCompletion: [] };

export const handlersCodec: Codec<HttpHandlersConfig> = forms<HttpHandlersConfig>('handler', {
  empty: () => NO_HANDLERS,
  mapping: map(object({
    status: optional(components(statusHandlerRegistry, { allowMapping: true }), 'Status handlers.'),
    header: optional(headerHandlerList, 'Header handlers.'),
    body: optional(processorList, 'Processors of the body.'),
    rawBytes: optional(components(rawBytesHandlerRegistry, { allowMapping: true }), 'Handlers of the raw response bytes.'),
    onCompletion: optional(actionList, 'Actions run when the response is complete.'),
    autoRangeCheck: optional(bool, 'Mark 4xx and 5xx responses invalid; default from ergonomics.'),
    stopOnInvalid: optional(bool, 'Stop the session after an invalid response; default from ergonomics.'),
    followRedirect: optional(oneOf(['NEVER', 'LOCATION_ONLY', 'HTML_ONLY', 'ALWAYS'] as const), 'Follow redirects; default from ergonomics.'),
  }, { what: 'handler' }), (v): HttpHandlersConfig => ({
    status: v.status ?? [],
    header: v.header ?? [],
    body: v.body ?? [],
    rawBytes: v.rawBytes ?? [],
    onCompletion: v.onCompletion ?? [],
    ...(v.autoRangeCheck !== undefined ? { autoRangeCheck: v.autoRangeCheck } : {}),
    ...(v.stopOnInvalid !== undefined ? { stopOnInvalid: v.stopOnInvalid } : {}),
    ...(v.followRedirect !== undefined ? { followRedirect: v.followRedirect } : {}),
  })),
});
