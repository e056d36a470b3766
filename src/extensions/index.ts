/**
 * Extensions: custom steps, actions and processors written as ES modules (see api.ts for the contract), compiled
 * on load and registered into the same registries as the built-ins. Controller-side commands use
 * `prepareExtensions`; agents and worker threads, which receive compiled modules, use `loadCompiledExtensions`.
 */
export { extensionApi, EXTENSION_API_VERSION } from './api.js';
export type { Extension, ExtensionApi, ExtensionComponent, ExtensionDefinition } from './api.js';
export { extensionMismatch } from './check.js';
export { compileExtension, DEFAULT_EXTENSION_CACHE } from './compile.js';
export { ExtensionError } from './errors.js';
export { loadCompiledExtension, loadCompiledExtensions, loadedExtensions } from './load.js';
export type { LoadedExtension } from './load.js';
export { prepareExtensions } from './prepare.js';
export type { ExtensionSources } from './prepare.js';
export { resolveExtensionEntry, rootDirExtensions } from './resolve.js';
