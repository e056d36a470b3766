/**
 * Registers an extension's components into the same two registries the built-ins use: the config catalogue (so
 * `validate` and `schema` know their YAML forms) and the engine's default registry (so scenarios compile them).
 * Everything is checked before anything is added, so a refused extension leaves both registries as they were.
 */
import { addComponentCodec, componentCodecExists } from '../config/index.js';
import type { ComponentKind } from '../config/index.js';
import { defaultRegistry } from '../engine/index.js';
import type { ExtensionComponent, ExtensionDefinition } from './api.js';
import { ExtensionError } from './errors.js';

const KINDS: ReadonlySet<string> = new Set<ComponentKind>(['step', 'action', 'processor']);
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function isCodec(value: unknown): boolean {
  const codec = value as { decode?: unknown; schema?: unknown } | null;
  return typeof codec === 'object' && codec !== null && typeof codec.decode === 'function' && typeof codec.schema === 'function';
}

/** The definition, checked: throws `ExtensionError` naming `source` and the first thing wrong. */
export function checkDefinition(value: unknown, source: string): ExtensionDefinition {
  const definition = value as Partial<ExtensionDefinition> | null;
  if (typeof definition !== 'object' || definition === null) {
    throw new ExtensionError(`${source}: the default export must return the extension's definition ({ name, components }), got ${definition === null ? 'null' : typeof definition}`);
  }
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) {
    throw new ExtensionError(`${source}: the definition needs a \`name\` (letters, digits, \`-\`, \`_\`), got ${JSON.stringify(definition.name)}`);
  }
  const components = definition.components;
  if (typeof components !== 'object' || components === null || Object.keys(components).length === 0) {
    throw new ExtensionError(`${source}: extension ${definition.name} declares no \`components\``);
  }
  for (const [name, component] of Object.entries(components) as Array<[string, Partial<ExtensionComponent> | null]>) {
    const what = `${source}: extension ${definition.name}, component \`${name}\``;
    if (!NAME.test(name)) throw new ExtensionError(`${what}: a name is letters, digits, \`-\` and \`_\``);
    if (typeof component !== 'object' || component === null || !KINDS.has(component.kind as string)) {
      throw new ExtensionError(`${what}: declare it with api.step(…), api.action(…) or api.processor(…)`);
    }
    if (!isCodec(component.codec)) throw new ExtensionError(`${what}: its codec is not a decoder built with the API (api.object, api.forms …)`);
    if (typeof component.create !== 'function') throw new ExtensionError(`${what}: its factory is not a function`);
  }
  return definition as ExtensionDefinition;
}

function taken(kind: ComponentKind, name: string): boolean {
  const engine = kind === 'action' ? defaultRegistry.step(name) ?? defaultRegistry.action(name) ?? defaultRegistry.processor(name)
    : kind === 'step' ? defaultRegistry.step(name) ?? defaultRegistry.action(name)
      : defaultRegistry.processor(name) ?? defaultRegistry.action(name);
  return engine !== undefined || componentCodecExists(kind, name);
}

export function registerDefinition(definition: ExtensionDefinition, source: string): void {
  const entries = Object.entries(definition.components);
  for (const [name, component] of entries) {
    if (taken(component.kind, name)) {
      throw new ExtensionError(`${source}: extension ${definition.name} declares ${component.kind} \`${name}\`, which already exists; rename it`);
    }
  }
  for (const [name, component] of entries) {
    addComponentCodec(component.kind, name, component.codec);
    if (component.kind === 'step') defaultRegistry.registerStep(name, component.create);
    else if (component.kind === 'action') defaultRegistry.registerAction(name, component.create);
    else defaultRegistry.registerProcessor(name, component.create);
  }
}
