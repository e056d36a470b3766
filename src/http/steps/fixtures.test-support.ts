/**
 * The engine registry the HTTP step tests run with: the default one (engine core + HTTP steps), plus minimal
 * stand-ins for the few core components the tests use (`set`, `newSequence`, `awaitVar`, `json`, `store`) ONLY where the
 * engine's own catalogue does not provide them yet (they are written in parallel in src/engine/steps). Once the
 * engine registers them, the real ones are used and these are ignored.
 */
import type { AwaitVarConfig, JsonProcessorConfig, NewSequenceConfig, SetConfig, StoreConfig } from '../../config/steps/index.js';
import { defaultRegistry, ObjectArrayVar } from '../../engine/index.js';
import type { EngineRegistry, Processor, Session } from '../../engine/index.js';
import './index.js';

export function testRegistry(): EngineRegistry {
  const registry = defaultRegistry.copy();
  if (registry.action('set') === undefined) {
    registry.registerAction<SetConfig>('set', (config, cx) => {
      const value = config.value;
      const access = cx.writeVar(config.var, 'object');
      if (value.kind === 'objectArray' && value.fromVar === undefined) {
        return { run: (session) => access.setObject(session, new ObjectArrayVar(value.size)) };
      }
      if (value.kind !== 'text') return cx.error('test stand-in for `set` handles text values and empty object arrays only');
      const text = value.text;
      return { run: (session) => access.setObject(session, text) };
    });
  }
  if (registry.action('newSequence') === undefined) {
    registry.registerAction<NewSequenceConfig>('newSequence', (config, cx) => {
      const template = cx.sequenceTemplate(config.sequence);
      return { run: (session) => { session.startSequence(template, config.forceSameIndex, config.concurrencyPolicy); } };
    });
  }
  if (registry.step('awaitVar') === undefined) {
    registry.registerStep<AwaitVarConfig>('awaitVar', (config, cx) => {
      const access = cx.readVar(config.var);
      return { invoke: (session) => access.isSet(session) !== config.unset };
    });
  }
  if (registry.processor('store') === undefined) {
    // Hyperfoil's store: unset before each response, then keep the first item.
    registry.registerProcessor<StoreConfig>('store', (config, cx) => {
      const access = cx.writeVar(config.toVar, 'object');
      const inner = bufferingProcessor({ setObject: (session, value) => { if (!access.isSet(session)) access.setObject(session, value); } }, (text) => text);
      return { ...inner, before: (session) => { access.unset(session); inner.before(session); } };
    });
  }
  if (registry.processor('json') === undefined) {
    registry.registerProcessor<JsonProcessorConfig>('json', (config, cx) => {
      const toVar = config.toVar;
      if (toVar === undefined) return cx.error('test stand-in for `json` handles `toVar` only');
      const selectors = config.selectors;
      return bufferingProcessor(cx.writeVar(toVar, 'object'), (text) => {
        let value: unknown = JSON.parse(text);
        for (const part of selectors) {
          if (value === null || typeof value !== 'object') return undefined;
          value = part.kind === 'attribute' ? (value as Record<string, unknown>)[part.name] : (value as unknown[])[part.start];
        }
        if (value === undefined) return undefined;
        return typeof value === 'string' && config.unquote ? value : JSON.stringify(value);
      });
    });
  }
  return registry;
}

/** Collects the parts of one body and stores `convert(text)` (unless undefined) on the last part. */
function bufferingProcessor(access: { setObject(session: Session, value: unknown): void }, convert: (text: string) => unknown): Processor {
  const parts = new Map<Session, Buffer[]>();
  return {
    before(session) {
      parts.set(session, []);
    },
    process(session, data, offset, length, isLastPart) {
      const list = parts.get(session) ?? [];
      list.push(Buffer.from(data.subarray(offset, offset + length)));
      parts.set(session, list);
      if (!isLastPart) return;
      const value = convert(Buffer.concat(list).toString('utf8'));
      parts.set(session, []);
      if (value !== undefined) access.setObject(session, value);
    },
    after() {},
  };
}
