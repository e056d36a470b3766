/**
 * The extension API. An extension is an ES module (TypeScript or JavaScript) whose default export is a function
 * that receives this API and returns the extension's definition:
 *
 *   import type { Extension } from 'hyperfoil-ts/extension';
 *   const extension: Extension = (api) => ({
 *     name: 'my-extension',
 *     components: {
 *       myAction: api.action(api.object({ toVar: api.required(api.varRef) }, { what: 'myAction' }),
 *         (config, cx) => { const out = cx.writeVar(config.toVar, 'int'); return { run: (s) => out.setInt(s, 42) }; }),
 *     },
 *   });
 *   export default extension;
 *
 * The API is passed in rather than imported, so an extension needs nothing installed where it runs (agent hosts
 * have only the single-file agent bundle) and shares the host's decoders and engine classes. Components follow
 * the built-ins' contract: the codec decodes the YAML (`- name`, `- name: inline`, `- name: {props}`) with
 * positions; the factory runs once per compiled step and returns the runtime object (a `Step` that runs or blocks
 * without side effects, an `Action`, a `Processor`), allocating per-session state with `cx.reserveState`.
 */
import { codecKit } from '../config/index.js';
import type { Codec } from '../config/index.js';
import { SessionFailure } from '../engine/index.js';
import type { ActionFactory, ProcessorFactory, StepFactory } from '../engine/index.js';

export type { Codec, Decoded, DecodeContext, VarRef } from '../config/index.js';
export type {
  Action, CompileContext, IntValue, Processor, ReadAccess, Session, StateKey, StateSpec, Step, VarKind, WriteAccess,
} from '../engine/index.js';

export interface StepComponent<C = unknown> {
  readonly kind: 'step';
  readonly codec: Codec<C>;
  readonly create: StepFactory<C>;
}

export interface ActionComponent<C = unknown> {
  readonly kind: 'action';
  readonly codec: Codec<C>;
  readonly create: ActionFactory<C>;
}

export interface ProcessorComponent<C = unknown> {
  readonly kind: 'processor';
  readonly codec: Codec<C>;
  readonly create: ProcessorFactory<C>;
}

/** Any component: its config type is checked where `api.step`/`api.action`/`api.processor` tie codec and factory. */
export type ExtensionComponent = StepComponent<any> | ActionComponent<any> | ProcessorComponent<any>;

export interface ExtensionDefinition {
  /** Names the extension in messages and in the agents' check at `init`. */
  readonly name: string;
  /** By the name written in benchmarks. An action is usable as a step and as a processor too. */
  readonly components: Readonly<Record<string, ExtensionComponent>>;
}

/** Increases when the API changes incompatibly; an extension may check it. */
export const EXTENSION_API_VERSION = 1;

export const extensionApi = {
  ...codecKit,
  version: EXTENSION_API_VERSION,
  /** Throw it from a step to end the session with this message (counted as an internal error). */
  SessionFailure,
  step: <C>(codec: Codec<C>, create: StepFactory<C>): StepComponent<C> => ({ kind: 'step', codec, create }),
  action: <C>(codec: Codec<C>, create: ActionFactory<C>): ActionComponent<C> => ({ kind: 'action', codec, create }),
  processor: <C>(codec: Codec<C>, create: ProcessorFactory<C>): ProcessorComponent<C> => ({ kind: 'processor', codec, create }),
} as const;

export type ExtensionApi = typeof extensionApi;

/** What an extension module's default export is. */
export type Extension = (api: ExtensionApi) => ExtensionDefinition;
