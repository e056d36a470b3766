/**
 * `pre:` / `post:` run hooks: shell commands the controller runs before and after a run, as a mapping
 * `{name: command}` or a list of single-key mappings; the command is inline or `{exec: command}`.
 */
import { isMap, isPair, isScalar } from 'yaml';
import type { Node as YNode } from 'yaml';
import { didYouMean } from '../lib/index.js';
import { byKind, emptyAs, entries, INVALID, isEmpty, map } from './codec.js';
import type { Codec } from './codec.js';
import type { HookDef } from './model.js';

const HOOK_TYPES = ['exec'];

const commandCodec: Codec<string> = {
  expected: 'a shell command, or `exec: command`',
  decode(raw, cx) {
    const node = cx.deref(raw);
    if (isScalar(node) && !isEmpty(node)) return String(node.value);
    if (isMap(node) && node.items.length === 1 && isPair(node.items[0])) {
      const pair = node.items[0];
      const typeNode = cx.deref(pair.key as YNode);
      const type = isScalar(typeNode) ? String(typeNode.value) : '';
      if (type !== 'exec') {
        cx.problem(typeNode, `unknown hook type \`${type}\`: the only built-in hook is \`exec\`.${didYouMean(type, HOOK_TYPES)}`.replace(/\.$/, ''));
        return INVALID;
      }
      const command = pair.value ? cx.deref(pair.value as YNode) : undefined;
      if (command && isScalar(command) && !isEmpty(command)) return String(command.value);
      cx.problem(command ?? typeNode, 'expected the shell command to run after `exec:`');
      return INVALID;
    }
    cx.problem(node, 'a hook is a shell command (`name: curl http://…`) or `name: {exec: command}`');
    return INVALID;
  },
  schema: () => ({
    anyOf: [
      { type: 'string', description: 'Shell command run with `sh -c` on the controller.' },
      { type: 'object', properties: { exec: { type: 'string' } }, required: ['exec'], additionalProperties: false },
    ],
  }),
};

const namedHooks: Codec<HookDef[]> = map(
  entries(commandCodec, { forms: 'both', what: 'hook' }),
  (items) => items.map((item) => ({ name: item.key, command: item.value })),
);

/** An empty `pre:` is no hooks. */
export const hooksCodec: Codec<HookDef[]> = byKind('a mapping or a list of hooks', { mapping: namedHooks, list: namedHooks, empty: emptyAs([]) });
