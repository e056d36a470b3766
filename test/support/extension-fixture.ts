/**
 * A small extension written the way a user would, into a temporary folder: TypeScript, one action (`sign`: HMAC of
 * a variable) and one processor (`reverse`: the response body, reversed, into a variable). Tests load it from
 * there, which exercises compile-on-load, and check what it computed on the target's side.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = `import { createHmac } from 'node:crypto';
import type { Extension, Processor, VarRef } from 'hyperfoil-ts/extension';
import { reversed } from './text.js';

interface SignConfig { readonly fromVar: VarRef; readonly toVar: VarRef; readonly key: string }

const extension: Extension = (api) => ({
  name: 'test-signing',
  components: {
    sign: api.action(api.object({
      fromVar: api.required(api.varRef, 'Variable whose text is signed.'),
      toVar: api.required(api.varRef, 'Variable receiving the signature.'),
      key: api.required(api.nonEmptyStr(), 'HMAC key.'),
    }, { what: 'sign' }), (config: SignConfig, cx) => {
      const from = cx.readVar(config.fromVar);
      const to = cx.writeVar(config.toVar, 'object');
      return {
        run(session) {
          const text = String(from.getObject(session));
          if (text === 'boom') throw new Error('cannot sign boom');
          to.setObject(session, createHmac('sha256', config.key).update(text).digest('hex').slice(0, 16));
        },
      };
    }),
    reverse: api.processor(api.forms('reverse', {
      inline: api.inline('a variable name', (text) => {
        const ref = api.parseVarRef(text);
        return ref.ok ? api.ok({ toVar: ref.value }) : ref;
      }),
    }), (config, cx): Processor => {
      const to = cx.writeVar(config.toVar, 'object');
      const body = cx.reserveState({ create: () => ({ text: '' }), reset: (s) => { s.text = ''; } });
      return {
        before(session) { session.state(body).text = ''; },
        process(session, data, offset, length, isLastPart) {
          const state = session.state(body);
          state.text += data.toString('latin1', offset, offset + length);
          if (isLastPart) to.setObject(session, reversed(state.text));
        },
        after() {},
      };
    }),
  },
});

export default extension;
`;

/** Writes the extension into a fresh temporary folder and returns the folder (its entry is `index.ts`). */
export function writeSigningExtension(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'hf-ext-')), 'signing');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.ts'), SOURCE);
  // A relative import, bundled into the compiled module like any other.
  writeFileSync(join(dir, 'text.ts'), 'export function reversed(text: string): string {\n  return [...text].reverse().join(\'\');\n}\n');
  return dir;
}

/** What `sign` computes for `text` with `key`. */
export function expectedSignature(text: string, key: string): string {
  return createHmac('sha256', key).update(text).digest('hex').slice(0, 16);
}

/** Writes `files` (name → content) into a fresh temporary folder and returns it. */
export function writeExtensionFiles(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-ext-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
