/**
 * `parseHtml`: a processor that scans an HTML body.
 *   onTagAttribute      the value of `attribute` in each `<tag>` goes to processors, or to the toVar/toArray shortcuts
 *   onEmbeddedResource  the URLs of img/link/embed/frame/iframe/object/script go to processors and/or are fetched
 */
import { bool, INVALID, int, listOrSingle, map, object, optional } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { forms, valueNodeOf } from '../forms.js';
import type { VarRef } from '../model.js';
import { arrayTarget, identifier, varRef } from '../var-ref.js';
import type { ArrayTarget } from '../var-ref.js';
import { dataFormat } from './common.js';
import type { DataFormat } from './common.js';
import type { ActionSpec, ProcessorSpec } from './index.js';
import { actionList, processorList } from './lists.js';
import { metricSelectors } from './metric.js';
import type { MetricSelector } from './metric.js';

export interface TagAttributeConfig {
  /** Tag name, e.g. `form`. */
  readonly tag: string;
  /** Attribute name, e.g. `action`. */
  readonly attribute: string;
  readonly processors: readonly ProcessorSpec[];
  readonly toVar?: VarRef;
  readonly toArray?: ArrayTarget;
  /** Format of `toVar`/`toArray` values; default STRING. */
  readonly format: DataFormat;
}

/** Fetches embedded resources with GET requests in a generated sequence of the given concurrency. */
export interface FetchResourceConfig {
  readonly maxResources: number;
  /** Default 8. */
  readonly concurrency: number;
  /** Default: the metric is the resource's authority + path. */
  readonly metric?: readonly MetricSelector[];
  /** Run when every resource has been fetched. */
  readonly onCompletion: readonly ActionSpec[];
  /**
   * The generated sequence (`name[concurrency]`) that fetches one resource each, and the array variable of queued
   * URLs; named after where `fetchResource` is written, and added to the scenario (fetch-resources.ts).
   */
  readonly sequence: string;
  readonly urlVar: string;
}

export interface EmbeddedResourceConfig {
  /** Skip resources on servers not listed in `http`. Default true. */
  readonly ignoreExternal: boolean;
  readonly processors: readonly ProcessorSpec[];
  readonly fetchResource?: FetchResourceConfig;
}

export interface ParseHtmlConfig {
  readonly onTagAttribute: readonly TagAttributeConfig[];
  readonly onEmbeddedResource: readonly EmbeddedResourceConfig[];
}

const tagAttribute: Codec<TagAttributeConfig> = map(object({
  tag: optional(identifier('tag name'), 'Tag name, e.g. `form`.'),
  attribute: optional(identifier('attribute name'), 'Attribute name, e.g. `action`.'),
  processor: optional(processorList, 'Processors receiving the attribute values.'),
  toVar: optional(varRef, 'Store the first value in this variable.'),
  toArray: optional(arrayTarget, 'Store the values in an array variable: `name[maxSize]`.'),
  format: optional(dataFormat, 'Format of toVar/toArray values: STRING (default), BYTES or BYTEBUF.'),
}, { what: 'onTagAttribute' }), (v, node, cx): Decoded<TagAttributeConfig> => {
  if (v.tag === undefined || v.attribute === undefined) {
    cx.problem(node, `onTagAttribute needs ${v.tag === undefined ? '`tag`' : '`attribute`'}`);
    return INVALID;
  }
  if (v.toVar !== undefined && v.toArray !== undefined) {
    cx.problem(valueNodeOf(node, 'toArray', cx) ?? node, 'onTagAttribute takes only one of `toVar` and `toArray`');
    return INVALID;
  }
  const processors = v.processor ?? [];
  if (processors.length === 0 && !v.toVar && !v.toArray) {
    cx.problem(node, 'onTagAttribute needs `processor`, `toVar` or `toArray`');
    return INVALID;
  }
  return {
    tag: v.tag, attribute: v.attribute, processors,
    ...(v.toVar ? { toVar: v.toVar } : {}), ...(v.toArray ? { toArray: v.toArray } : {}), format: v.format ?? 'STRING',
  };
});

const fetchResource: Codec<FetchResourceConfig> = map(object({
  maxResources: optional(int({ min: 1, max: 2147483647 }), 'Maximum number of resources fetched.'),
  concurrency: optional(int({ min: 1, max: 2147483647 }), 'Resources fetched at once; default 8.'),
  metric: optional(metricSelectors, 'Metric selectors for the fetched resources.'),
  onCompletion: optional(actionList, 'Actions run when every resource has been fetched.'),
}, { what: 'fetchResource' }), (v, node, cx): Decoded<FetchResourceConfig> => {
  if (v.maxResources === undefined) {
    cx.problem(node, 'fetchResource needs `maxResources`');
    return INVALID;
  }
  const id = `${node.range?.[0] ?? 0}`;
  return {
    maxResources: v.maxResources, concurrency: v.concurrency ?? 8, ...(v.metric ? { metric: v.metric } : {}), onCompletion: v.onCompletion ?? [],
    sequence: `__fetchResource_${id}`, urlVar: `__fetchResource_${id}_url`,
  };
});

const embeddedResource: Codec<EmbeddedResourceConfig> = map(object({
  ignoreExternal: optional(bool, 'Skip resources on servers not listed in `http`; default true.'),
  processor: optional(processorList, 'Processors receiving the resource URLs.'),
  fetchResource: optional(fetchResource, 'Download the resources.'),
}, { what: 'onEmbeddedResource' }), (v, node, cx): Decoded<EmbeddedResourceConfig> => {
  const processors = v.processor ?? [];
  if (processors.length === 0 && v.fetchResource === undefined) {
    cx.problem(node, 'onEmbeddedResource needs `processor` or `fetchResource`');
    return INVALID;
  }
  return { ignoreExternal: v.ignoreExternal ?? true, processors, ...(v.fetchResource ? { fetchResource: v.fetchResource } : {}) };
});

export const parseHtmlCodec: Codec<ParseHtmlConfig> = forms<ParseHtmlConfig>('parseHtml', {
  mapping: map(object({
    onTagAttribute: optional(listOrSingle(tagAttribute), 'Handle attributes of tags.'),
    onEmbeddedResource: optional(listOrSingle(embeddedResource), 'Handle embedded resources.'),
  }, { what: 'parseHtml' }), (v, node, cx): Decoded<ParseHtmlConfig> => {
    const config = { onTagAttribute: v.onTagAttribute ?? [], onEmbeddedResource: v.onEmbeddedResource ?? [] };
    if (config.onTagAttribute.length === 0 && config.onEmbeddedResource.length === 0) {
      cx.problem(node, 'parseHtml needs `onTagAttribute` or `onEmbeddedResource`');
      return INVALID;
    }
    return config;
  }),
});
