/**
 * The catalogue of steps, actions and processors: the registries that decode `- name`, `- name: inline` and
 * `- name: {props}`, and the union types they decode to. Following Hyperfoil, every action is also a step (it never
 * blocks) and a processor (it runs for each part of the data it is given).
 *
 * Each config type is defined and documented in the file of its family (variables, random, timing, sequences,
 * control, collections, shared-data, json, processors, html, http-request, handlers). Extensions add members
 * with `addComponentCodec` (see src/extensions/).
 */
import { components, named } from '../codec.js';
import type { Codec, ComponentOf, ComponentRegistry } from '../codec.js';
import { addItemCodec, getIndexCodec, getItemCodec, getSizeCodec, removeItemCodec, setItemCodec } from './collections.js';
import { noConfig } from './common.js';
import { conditionalActionCodec, failCodec, logCodec } from './control.js';
import { parseHtmlCodec } from './html.js';
import { httpRequestCodec } from './http-request.js';
import { jsonProcessorCodec, jsonStepCodec } from './json.js';
import { bindComponentLists } from './lists.js';
import {
  arrayCodec, collectionCodec, conditionalProcessorCodec, countCodec, gzipInflatorCodec, queueCodec, simpleCodec,
  storeCodec, storeIntCodec,
} from './processors.js';
import { randomCsvRowCodec, randomFileCodec, randomIntCodec, randomItemCodec, randomUuidCodec } from './random.js';
import {
  breakSequenceCodec, foreachCodec, loopCodec, newSequenceCodec, nextSequenceCodec, stopwatchCodec,
} from './sequences.js';
import {
  addToSharedCounterCodec, getSharedCounterCodec, publishAgentDataCodec, publishGlobalCountersCodec, pullSharedMapCodec,
  pushSharedMapCodec, readAgentDataCodec, setSharedCounterCodec,
} from './shared-data.js';
import { awaitDelayCodec, awaitIntCodec, awaitVarCodec, scheduleDelayCodec, thinkTimeCodec } from './timing.js';
import {
  addToIntCodec, setCodec, setIntCodec, stringToIntCodec, templateCodec, timestampCodec, unsetCodec,
} from './variables.js';

/** Each member described once in the JSON Schema's `$defs` (as `prefix.name`) and referenced from every list. */
function described<R extends Record<string, Codec<unknown>>>(prefix: string, codecs: R): R {
  return Object.fromEntries(Object.entries(codecs).map(([name, codec]) => [name, named(`${prefix}.${name}`, () => codec)])) as R;
}

/** Actions: never block; usable as steps, as processors and in handlers (`onCompletion`, `onBreak` …). */
export const actionCodecs = described('action', {
  addItem: addItemCodec,
  addToInt: addToIntCodec,
  addToSharedCounter: addToSharedCounterCodec,
  /** Drops the session's HTTP cache. */
  clearHttpCache: noConfig('clearHttpCache'),
  conditional: conditionalActionCodec,
  fail: failCodec,
  getIndex: getIndexCodec,
  getItem: getItemCodec,
  getSharedCounter: getSharedCounterCodec,
  getSize: getSizeCodec,
  log: logCodec,
  /** Marks the request being handled invalid. */
  markRequestInvalid: noConfig('markRequestInvalid'),
  newSequence: newSequenceCodec,
  publishAgentData: publishAgentDataCodec,
  publishGlobalCounters: publishGlobalCountersCodec,
  readAgentData: readAgentDataCodec,
  removeItem: removeItemCodec,
  /** As an action: schedules a restart of the current sequence (as a step: restarts it now). */
  restartSequence: noConfig('restartSequence'),
  set: setCodec,
  setInt: setIntCodec,
  setItem: setItemCodec,
  setSharedCounter: setSharedCounterCodec,
  stringToInt: stringToIntCodec,
  unset: unsetCodec,
});

/** Steps: the items of a sequence. `json` here is the step form (reading `fromVar`). */
export const stepCodecs = {
  ...actionCodecs,
  ...described('step', {
  /** Blocks until every request of the session has its response. */
  awaitAllResponses: noConfig('awaitAllResponses'),
  awaitDelay: awaitDelayCodec,
  awaitInt: awaitIntCodec,
  awaitVar: awaitVarCodec,
  /** Ends the sequence when its phase is finished. */
  breakIfFinished: noConfig('breakIfFinished'),
  breakSequence: breakSequenceCodec,
  foreach: foreachCodec,
  httpRequest: httpRequestCodec,
  json: jsonStepCodec,
  loop: loopCodec,
  nextSequence: nextSequenceCodec,
  /** Does nothing. */
  noop: noConfig('noop'),
  pullSharedMap: pullSharedMapCodec,
  pushSharedMap: pushSharedMapCodec,
  randomCsvRow: randomCsvRowCodec,
  randomFile: randomFileCodec,
  randomInt: randomIntCodec,
  randomItem: randomItemCodec,
  randomUUID: randomUuidCodec,
  scheduleDelay: scheduleDelayCodec,
  /** Stops the whole session at once. */
  stop: noConfig('stop'),
  stopwatch: stopwatchCodec,
  template: templateCodec,
  thinkTime: thinkTimeCodec,
  timestamp: timestampCodec,
  }),
};

/** Processors: receive data (bodies, header values, JSON parts). `json` and `conditional` are the processor forms. */
export const processorCodecs = {
  ...actionCodecs,
  ...described('processor', {
  array: arrayCodec,
  /** Closes the connection after this response instead of reusing it. */
  closeConnection: noConfig('closeConnection'),
  collection: collectionCodec,
  conditional: conditionalProcessorCodec,
  count: countCodec,
  gzipInflator: gzipInflatorCodec,
  json: jsonProcessorCodec,
  /** Logs the body of requests marked invalid. */
  logInvalid: noConfig('logInvalid'),
  parseHtml: parseHtmlCodec,
  queue: queueCodec,
  simple: simpleCodec,
  store: storeCodec,
  storeInt: storeIntCodec,
  }),
};

export type ActionSpec = ComponentOf<typeof actionCodecs>;
export type StepSpec = ComponentOf<typeof stepCodecs>;
export type ProcessorSpec = ComponentOf<typeof processorCodecs>;

/** Steps Hyperfoil has that we do not run, with the reason shown to the user. */
export const UNSUPPORTED_STEPS: Readonly<Record<string, string>> = {
  hotrodRequest: 'HotRod (Infinispan) requests are not implemented; this load driver speaks HTTP only',
};

export const actionRegistry: ComponentRegistry<typeof actionCodecs> = { what: 'action', codecs: actionCodecs };
export const stepRegistry: ComponentRegistry<typeof stepCodecs> = { what: 'step', codecs: stepCodecs, unsupported: UNSUPPORTED_STEPS };
export const processorRegistry: ComponentRegistry<typeof processorCodecs> = { what: 'processor', codecs: processorCodecs };

export type ComponentKind = 'step' | 'action' | 'processor';

/**
 * Adds an extension's component to the catalogue, under the same rules as the built-ins: an action is also a step
 * and a processor. Throws when the name is taken where it would be added (a built-in or another extension).
 */
export function addComponentCodec(kind: ComponentKind, name: string, codec: Codec<unknown>): void {
  if (componentCodecExists(kind, name)) throw new Error(`a ${kind} named \`${name}\` already exists`);
  const described = named(`${kind}.${name}`, () => codec);
  for (const codecs of catalogueOf(kind)) codecs[name] = described;
}

/** Whether `name` is taken where a component of `kind` would be added. */
export function componentCodecExists(kind: ComponentKind, name: string): boolean {
  return catalogueOf(kind).some((codecs) => Object.hasOwn(codecs, name));
}

function catalogueOf(kind: ComponentKind): Array<Record<string, Codec<unknown>>> {
  return kind === 'action' ? [actionCodecs, stepCodecs, processorCodecs] : kind === 'step' ? [stepCodecs] : [processorCodecs];
}

bindComponentLists({
  steps: components(stepRegistry),
  actions: components(actionRegistry, { allowMapping: true }),
  processors: components(processorRegistry, { allowMapping: true }),
});

export { actionList, processorList, stepList } from './lists.js';
export { openScenarioScope, closeScenarioScope, currentSequence } from './scope.js';
export type { ScenarioScope, SequenceInfo, SequenceReference } from './scope.js';

export type { DataFormat, NoConfig } from './common.js';
export type { AddItemConfig, GetIndexConfig, GetItemConfig, GetSizeConfig, ItemFilter, ObjectSource, RemoveItemConfig, SetItemConfig } from './collections.js';
export type { ConditionalActionConfig, FailConfig, LogConfig } from './control.js';
export type {
  HttpHandlersConfig, StatusHandlerSpec, HeaderHandlerSpec, RawBytesHandlerSpec, RangeConfig, StatusCases,
  StatusActionConfig, MultiplexConfig, StatusCounterConfig, StatusStoreConfig, HeaderFilterConfig, HeaderConditionalConfig,
  RecordHeaderTimeConfig, TransferSizeRecorderConfig,
} from './handlers.js';
export type { EmbeddedResourceConfig, FetchResourceConfig, ParseHtmlConfig, TagAttributeConfig } from './html.js';
export { HTTP_METHODS } from './http-request.js';
export type { CompensationConfig, CompressionConfig, FormInput, HttpBody, HttpHeader, HttpMethod, HttpRequestConfig } from './http-request.js';
export { slaCodec, slaList } from './http-sla.js';
export type { JsonProcessorConfig, JsonQueryPart, JsonStepConfig, JsonTransformer } from './json.js';
export { parseJsonQuery } from './json.js';
export type { MetricSelector, MetricSpec } from './metric.js';
export type {
  ArrayConfig, CollectionConfig, ConditionalProcessorConfig, CountConfig, GzipInflatorConfig, QueueConfig, StoreConfig, StoreIntConfig,
} from './processors.js';
export type { RandomCsvRowConfig, RandomFileConfig, RandomIntConfig, RandomItemConfig, RandomItemSource, RandomUuidConfig, WeightedItems } from './random.js';
export type { BreakSequenceConfig, ForeachConfig, LoopConfig, NewSequenceConfig, NextSequenceConfig, StopwatchConfig } from './sequences.js';
export type {
  AddToSharedCounterConfig, GetSharedCounterConfig, PublishAgentDataConfig, PublishGlobalCountersConfig, PullSharedMapConfig,
  PushSharedMapConfig, ReadAgentDataConfig, SetSharedCounterConfig,
} from './shared-data.js';
export type { StatusRange } from './status-ranges.js';
export type { AwaitDelayConfig, AwaitIntConfig, AwaitVarConfig, DelayRandom, DelaySpec, DelayType, ScheduleDelayConfig, ThinkTimeConfig } from './timing.js';
export type {
  AddToIntConfig, SetConfig, SetIntConfig, SetIntValue, SetValue, StringToIntConfig, TemplateConfig, TimestampConfig, UnsetConfig,
} from './variables.js';
export type {
  AllConditions, BoolCondition, Condition, IntComparisonOp, IntComparisons, IntCondition, StringCondition, StringMatch,
} from '../conditions.js';
export type { StringSource } from '../string-source.js';
export type { ArrayTarget } from '../var-ref.js';
