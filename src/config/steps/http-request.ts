/**
 * `httpRequest`: one HTTP request and the handling of its response.
 *   GET/HEAD/POST/PUT/DELETE/OPTIONS/PATCH/TRACE/CONNECT: path   (a pattern, or {value | pattern | fromVar})
 *   method + path                                              (the same, spelled out; method is case-sensitive)
 *   authority (host:port) | endpoint (name of an http entry)   which `http` target; default: the default target
 *   headers, body, sync (default true), timeout, metric (default: the sequence name), sla, handler, compensation,
 *   compression
 * Routing `authority`/`endpoint` to an `http` target is checked by the benchmark, which knows the targets.
 */
import { bool, entries, INVALID, listOrSingle, map, nonEmptyStr, num, object, oneOf, optional, parsed, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { exactlyOne, forms, present, valueNodeOf } from '../forms.js';
import type { Pattern, SlaSpec, VarRef } from '../model.js';
import { literalPattern, pattern, patternCodec } from '../patterns.js';
import { stringSource } from '../string-source.js';
import type { StringSource } from '../string-source.js';
import { varRef } from '../var-ref.js';
import { MAX_USERS_PER_SEC } from '../limits.js';
import { parseDurationMs } from '../../lib/index.js';
import { handlersCodec, NO_HANDLERS } from './handlers.js';
import type { HttpHandlersConfig } from './handlers.js';
import { slaList } from './http-sla.js';
import { metricSpec } from './metric.js';
import type { MetricSpec } from './metric.js';
import { currentSequence } from './scope.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT'] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

export interface FormInput {
  readonly name: string;
  /** The rendered value is URL-encoded when the body is written. */
  readonly value: StringSource;
}

export type HttpBody =
  /** A pattern (`body: text`, or `pattern:`). */
  | { readonly kind: 'pattern'; readonly pattern: Pattern }
  /** Text sent as it is (`text:`). */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'fromVar'; readonly fromVar: VarRef }
  /** The bytes of a file (relative to the benchmark; the key of `Benchmark.files`); no content type is added. */
  | { readonly kind: 'file'; readonly file: string }
  /** `application/x-www-form-urlencoded` (the content type is added). */
  | { readonly kind: 'form'; readonly inputs: readonly FormInput[] };

export interface HttpHeader {
  readonly name: string;
  readonly value: StringSource;
}

/** `compensation` (only in `always` phases): also record the response time as if users started on schedule. */
export interface CompensationConfig {
  /** Users per second: `base` in the first iteration, plus `increment` per later iteration. */
  readonly targetRate: { readonly base: number; readonly increment: number };
  /** Absent: `compensated-` + the request's metric. */
  readonly metric?: MetricSpec;
}

/** `compression`: ask for a compressed response (`Accept-Encoding`, or `TE` for transfer encoding) and inflate it. */
export interface CompressionConfig {
  readonly encoding: 'gzip';
  readonly type: 'CONTENT_ENCODING' | 'TRANSFER_ENCODING';
}

export interface HttpRequestConfig {
  readonly method: HttpMethod;
  readonly path: StringSource;
  /** `host:port` of an `http` target. At most one of `authority` and `endpoint`; neither = the default target. */
  readonly authority?: StringSource;
  /** The `name` of an `http` target. */
  readonly endpoint?: StringSource;
  /** In order; a `Host` header here replaces the automatic one. */
  readonly headers: readonly HttpHeader[];
  readonly body?: HttpBody;
  /** Wait for the response before the next step. Default true. */
  readonly sync: boolean;
  /** Absent: `http.requestTimeout`. */
  readonly timeoutMs?: number;
  /** Default: the name of the sequence. */
  readonly metric: MetricSpec;
  /** Absent: the default SLA (blockedRatio 0; 1.01 with OPEN_ON_REQUEST/ALWAYS_NEW targets). */
  readonly sla?: readonly SlaSpec[];
  readonly handler: HttpHandlersConfig;
  readonly compensation?: CompensationConfig;
  readonly compression?: CompressionConfig;
}

// ---------------------------------------------------------------------------------------------------------------

const path = stringSource('the request path');

const headerValue: Codec<StringSource> = forms<StringSource>('header value', {
  inline: map(pattern, (p) => ({ pattern: p })),
  mapping: map(object({
    pattern: optional(pattern, 'The value, with `${var}` interpolation.'),
    fromVar: optional(varRef, 'Read the value from this variable.'),
  }, { what: 'header value' }), (v, node, cx): Decoded<StringSource> => {
    const which = exactlyOne(v, ['pattern', 'fromVar'], 'a header value', node, cx);
    if (which === 'pattern' && v.pattern) return { pattern: v.pattern };
    if (which === 'fromVar' && v.fromVar) return { fromVar: v.fromVar };
    return INVALID;
  }),
});

const headersCodec: Codec<HttpHeader[]> = map(entries(headerValue, { forms: 'both', what: 'header' }), (decoded, _node, cx) => {
  for (const entry of decoded) {
    if (entry.key.trim().toLowerCase() === 'host') {
      cx.warn(entry.keyNode, 'setting the `Host` header replaces the automatic one; to send requests elsewhere than `host`, use `http.addresses`');
    }
  }
  return decoded.map((e) => ({ name: e.key.trim(), value: e.value }));
});

const formValue = patternCodec({ urlEncoded: true });

const formInput: Codec<FormInput> = map(object({
  name: optional(nonEmptyStr('a field name'), 'Field name.'),
  value: optional(str, 'Value, verbatim.'),
  fromVar: optional(varRef, 'Read the value from this variable.'),
  pattern: optional(formValue, 'Value with `${var}` interpolation.'),
}, { what: 'a form field' }), (v, node, cx): Decoded<FormInput> => {
  if (v.name === undefined) {
    cx.problem(node, 'a form field needs `name`');
    return INVALID;
  }
  const which = exactlyOne(v, ['value', 'fromVar', 'pattern'], `form field \`${v.name}\``, node, cx);
  if (which === 'value' && v.value !== undefined) return { name: v.name, value: { pattern: literalPattern(v.value) } };
  if (which === 'fromVar' && v.fromVar) return { name: v.name, value: { fromVar: v.fromVar } };
  if (which === 'pattern' && v.pattern) return { name: v.name, value: { pattern: v.pattern } };
  return INVALID;
});

const bodyCodec: Codec<HttpBody> = forms<HttpBody>('body', {
  inline: map(pattern, (p) => ({ kind: 'pattern' as const, pattern: p })),
  mapping: map(object({
    text: optional(str, 'Text sent as it is.'),
    pattern: optional(pattern, 'Text with `${var}` interpolation.'),
    fromVar: optional(varRef, 'Send the content of this variable.'),
    fromFile: optional(nonEmptyStr('a file name'), 'Send the bytes of this file (relative to the benchmark); sets no content type.'),
    form: optional(listOrSingle(formInput), 'HTML form fields, sent as application/x-www-form-urlencoded.'),
  }, { what: 'body' }), (v, node, cx): Decoded<HttpBody> => {
    const which = exactlyOne(v, ['text', 'pattern', 'fromVar', 'fromFile', 'form'], 'body', node, cx);
    switch (which) {
      case 'text': return { kind: 'text', text: v.text as string };
      case 'pattern': return { kind: 'pattern', pattern: v.pattern as Pattern };
      case 'fromVar': return { kind: 'fromVar', fromVar: v.fromVar as VarRef };
      case 'fromFile': {
        const file = v.fromFile as string;
        return cx.loadFile(file, valueNodeOf(node, 'fromFile', cx) ?? node) ? { kind: 'file', file } : INVALID;
      }
      case 'form': return { kind: 'form', inputs: v.form as FormInput[] };
      default: return INVALID;
    }
  }),
});

const duration = parsed('a duration such as `10s` or `500ms` (no unit: seconds)', parseDurationMs, { type: ['string', 'integer'] });

const rate = num({ exclusiveMin: 0, limit: MAX_USERS_PER_SEC });

const targetRate: Codec<{ base: number; increment: number }> = forms<{ base: number; increment: number }>('compensation.targetRate', {
  inline: map(rate, (base) => ({ base, increment: 0 })),
  mapping: map(object({
    base: optional(num({ min: 0, limit: MAX_USERS_PER_SEC }), 'Rate in the first iteration.'),
    increment: optional(num({ limit: MAX_USERS_PER_SEC }), 'Added for each later iteration.'),
  }, { what: 'compensation.targetRate' }), (v) => ({ base: v.base ?? 0, increment: v.increment ?? 0 })),
});

const compensationCodec: Codec<CompensationConfig> = forms<CompensationConfig>('compensation', {
  mapping: map(object({
    targetRate: optional(targetRate, 'Users started per second (like constantRate.usersPerSec); a number or {base, increment}.'),
    metric: optional(metricSpec, 'Metric of the compensated results; default `compensated-` + the request metric.'),
  }, { what: 'compensation' }), (v, node, cx): Decoded<CompensationConfig> => {
    if (v.targetRate === undefined) {
      cx.problem(node, 'compensation needs `targetRate`');
      return INVALID;
    }
    return { targetRate: v.targetRate, ...(v.metric ? { metric: v.metric } : {}) };
  }),
});

const encoding = map(str, (text, node, cx): Decoded<'gzip'> => {
  if (text.trim().toLowerCase() !== 'gzip') {
    cx.problem(node, `the only supported compression is \`gzip\`, got \`${text}\``);
    return INVALID;
  }
  return 'gzip';
});

const compressionCodec: Codec<CompressionConfig> = forms<CompressionConfig>('compression', {
  inline: map(encoding, (e) => ({ encoding: e, type: 'CONTENT_ENCODING' as const })),
  mapping: map(object({
    encoding: optional(encoding, 'Only `gzip`.'),
    type: optional(oneOf(['CONTENT_ENCODING', 'TRANSFER_ENCODING'] as const), 'CONTENT_ENCODING (Accept-Encoding, default) or TRANSFER_ENCODING (TE).'),
  }, { what: 'compression' }), (v, node, cx): Decoded<CompressionConfig> => {
    if (v.encoding === undefined) {
      cx.problem(node, 'compression needs `encoding` (gzip)');
      return INVALID;
    }
    return { encoding: v.encoding, type: v.type ?? 'CONTENT_ENCODING' };
  }),
});

const methodProps = Object.fromEntries(HTTP_METHODS.map((m) => [m, optional(path, `Issue a ${m} request to this path.`)])) as
  Record<HttpMethod, ReturnType<typeof optional<StringSource>>>;

export const httpRequestCodec: Codec<HttpRequestConfig> = forms<HttpRequestConfig>('httpRequest', {
  mapping: map(object({
    ...methodProps,
    method: optional(oneOf(HTTP_METHODS), 'HTTP method, with `path`.'),
    path: optional(path, 'Request path (with query), a pattern.'),
    authority: optional(stringSource('the authority'), '`host:port` of an `http` entry (a pattern).'),
    endpoint: optional(stringSource('the endpoint'), 'The `name` of an `http` entry.'),
    headers: optional(headersCodec, 'Request headers: `name: value` (a pattern, or {fromVar | pattern}).'),
    body: optional(bodyCodec, 'Request body: a pattern, or {text | pattern | fromVar | fromFile | form}.'),
    sync: optional(bool, 'Wait for the response before the next step. Default true.'),
    timeout: optional(duration, 'Request timeout; default `http.requestTimeout`.'),
    metric: optional(metricSpec, 'Metric name, or selectors `regex -> name`; default the sequence name.'),
    sla: optional(slaList, 'SLA (a mapping or a list).'),
    handler: optional(handlersCodec, 'Response handlers.'),
    compensation: optional(compensationCodec, 'Coordinated-omission compensation (`always` phases only).'),
    compression: optional(compressionCodec, 'Ask for gzip responses: `gzip` or {encoding, type}.'),
  }, { what: 'httpRequest' }), (v, node, cx): Decoded<HttpRequestConfig> => {
    const methodKeys = present(v, HTTP_METHODS) as HttpMethod[];
    let method: HttpMethod;
    let requestPath: StringSource | undefined;
    if (methodKeys.length > 1) {
      cx.problem(node, `httpRequest takes one method, got ${methodKeys.map((m) => `\`${m}\``).join(', ')}`);
      return INVALID;
    }
    const methodKey = methodKeys[0];
    if (methodKey !== undefined) {
      if (v.method !== undefined || v.path !== undefined) {
        cx.problem(valueNodeOf(node, v.method !== undefined ? 'method' : 'path', cx) ?? node,
          `httpRequest: \`${methodKey}: path\` already sets the method and the path; drop \`${v.method !== undefined ? 'method' : 'path'}\``);
        return INVALID;
      }
      method = methodKey;
      requestPath = v[methodKey];
    } else {
      if (v.path === undefined) {
        cx.problem(node, 'httpRequest needs a method and a path: `GET: /path` (or POST, PUT …), or `method` and `path`');
        return INVALID;
      }
      method = v.method ?? 'GET';
      requestPath = v.path;
    }
    if (v.authority !== undefined && v.endpoint !== undefined) {
      cx.problem(valueNodeOf(node, 'endpoint', cx) ?? node, 'httpRequest takes either `authority` (host:port) or `endpoint` (a target name), not both');
      return INVALID;
    }
    if (v.timeout !== undefined && v.timeout <= 0) {
      cx.problem(valueNodeOf(node, 'timeout', cx) ?? node, 'httpRequest.timeout must be positive');
      return INVALID;
    }
    const metric: MetricSpec = v.metric ?? { kind: 'name', name: currentSequence(cx)?.name ?? '' };
    return {
      method,
      path: requestPath as StringSource,
      ...(v.authority ? { authority: v.authority } : {}),
      ...(v.endpoint ? { endpoint: v.endpoint } : {}),
      headers: v.headers ?? [],
      ...(v.body ? { body: v.body } : {}),
      sync: v.sync ?? true,
      ...(v.timeout !== undefined ? { timeoutMs: v.timeout } : {}),
      metric,
      ...(v.sla ? { sla: v.sla } : {}),
      handler: v.handler ?? NO_HANDLERS,
      ...(v.compensation ? { compensation: v.compensation } : {}),
      ...(v.compression ? { compression: v.compression } : {}),
    };
  }),
});

