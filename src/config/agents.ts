/**
 * `agents:` — the machines that generate load. One name (`agents: my-agent`), a mapping `{name: definition}` or a
 * list (`- name`, `- name: definition`). A definition is empty, inline (`[user@]host[:port]` for the SSH deployer)
 * or a mapping of deployer properties. The reserved name `default` holds properties merged into every agent.
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YNode } from 'yaml';
import { didYouMean } from '../lib/index.js';
import { INVALID, isEmpty, kindOf, scalarText } from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import type { AgentDef } from './model.js';

/** Properties the deployers understand: common, SSH and Kubernetes ones; `pod.label.<name>` too. */
export const AGENT_PROPERTIES = [
  'threads', 'extras',
  'host', 'port', 'user', 'sshKey', 'dir', 'cpu',
  'node', 'stop', 'log', 'image', 'imagePullPolicy', 'fetchLogs',
  'pod-cpu', 'pod-memory', 'pod-ephemeral-storage', 'pod-limits', 'pod-serviceaccount',
] as const;
const POD_LABEL_PREFIX = 'pod.label.';

/** An agent as declared, before the root `threads` is known. */
export interface AgentEntry {
  readonly name: string;
  readonly inline?: string;
  readonly properties: Readonly<Record<string, string>>;
}

const INLINE = /^(?:([^@\s]+)@)?(\[[^\]\s]+\]|[^@:\s[\]]+)(?::(\d+))?$/;

/** `[user@]host[:port]` → `{user, host, port}`, or a message. */
export function parseInlineAgent(text: string): Record<string, string> | string {
  const match = INLINE.exec(text.trim());
  if (!match) return `expected \`[user@]host[:port]\`, got \`${text}\``;
  const [, user, host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `port ${port} is outside 1..65535`;
  return { ...(user ? { user } : {}), host: host as string, ...(port ? { port } : {}) };
}

interface Declared {
  readonly name: string;
  readonly keyNode: YNode;
  readonly valueNode: YNode;
}

function declarations(node: YNode, cx: DecodeContext): Declared[] | undefined {
  if (isScalar(node)) {
    return isEmpty(node) ? [] : [{ name: String(node.value), keyNode: node, valueNode: node }];
  }
  const pairs: Array<{ key: YNode; value: YNode | null }> = [];
  if (isMap(node)) {
    for (const pair of node.items) if (isPair(pair)) pairs.push({ key: pair.key as YNode, value: pair.value as YNode | null });
  } else if (isSeq(node)) {
    for (const raw of node.items as YNode[]) {
      const item = cx.deref(raw);
      if (isScalar(item) && !isEmpty(item)) pairs.push({ key: item, value: null });
      else if (isMap(item) && item.items.length === 1 && isPair(item.items[0])) pairs.push({ key: item.items[0].key as YNode, value: item.items[0].value as YNode | null });
      else {
        cx.problem(item, `expected an agent name or \`name: definition\` in the list, got ${isMap(item) ? `a mapping with ${item.items.length} keys (are you missing a \`-\`?)` : 'a list'}`);
        return undefined;
      }
    }
  } else {
    return undefined;
  }
  return pairs.map(({ key, value }) => {
    const keyNode = cx.deref(key);
    return { name: scalarText(keyNode) ?? '', keyNode, valueNode: value ? cx.deref(value) : keyNode };
  });
}

function decodeProperties(node: YNode, cx: DecodeContext): Record<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const properties: Record<string, string> = {};
  let valid = true;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = cx.deref(pair.key as YNode);
    const key = scalarText(keyNode) ?? '';
    if (!(AGENT_PROPERTIES as readonly string[]).includes(key) && !(key.startsWith(POD_LABEL_PREFIX) && key.length > POD_LABEL_PREFIX.length)) {
      cx.problem(keyNode, `unknown agent property \`${key}\`.${didYouMean(key, AGENT_PROPERTIES)} Expected one of: ${AGENT_PROPERTIES.join(', ')}, pod.label.<name>`);
      valid = false;
      continue;
    }
    const valueNode = pair.value ? cx.deref(pair.value as YNode) : keyNode;
    if (!isScalar(valueNode)) {
      cx.problem(valueNode, `agent property \`${key}\` takes a single value, got ${kindOf(valueNode) === 'list' ? 'a list' : 'a mapping'}`);
      valid = false;
      continue;
    }
    const value = String(valueNode.value ?? '').trim();
    if (key === 'port' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)) {
      cx.problem(valueNode, `agent \`port\` must be a port number between 1 and 65535, got \`${value}\``);
      valid = false;
    } else if (key === 'threads' && !(/^\d+$/.test(value) && Number(value) >= 1)) {
      cx.problem(valueNode, `agent \`threads\` must be a whole number of at least 1, got \`${value}\``);
      valid = false;
    }
    properties[key] = value;
  }
  return valid ? properties : undefined;
}

const EXPECTED = 'an agent name, a mapping of agents or a list of agents';

export const agentsCodec: Codec<AgentEntry[]> = {
  expected: EXPECTED,
  decode(raw, cx): Decoded<AgentEntry[]> {
    const node = cx.deref(raw);
    const declared = declarations(node, cx);
    if (!declared) {
      if (!isSeq(node)) cx.problem(node, `expected ${EXPECTED}`);
      return INVALID;
    }
    let valid = true;
    let defaults: Record<string, string> = {};
    const agents: Array<AgentEntry & { keyNode: YNode }> = [];
    for (const { name, keyNode, valueNode } of declared) {
      if (name.trim() === '') {
        cx.problem(keyNode, 'expected an agent name');
        valid = false;
        continue;
      }
      const empty = valueNode === keyNode || isEmpty(valueNode);
      if (name === 'default') {
        if (empty) continue;
        const properties = isMap(valueNode) ? decodeProperties(valueNode, cx) : undefined;
        if (!isMap(valueNode)) {
          cx.problem(valueNode, '`default` holds properties merged into every agent, so it must be a mapping (`default: {user: …, dir: …}`), not an inline definition');
        }
        if (properties) defaults = properties;
        else valid = false;
        continue;
      }
      if (agents.some((a) => a.name === name)) {
        cx.problem(keyNode, `agent \`${name}\` is declared twice: agent names must be unique`);
        valid = false;
        continue;
      }
      if (empty) {
        agents.push({ name, keyNode, properties: {} });
      } else if (isScalar(valueNode)) {
        const inline = String(valueNode.value);
        const parsed = parseInlineAgent(inline);
        if (typeof parsed === 'string') {
          cx.problem(valueNode, `agent \`${name}\`: ${parsed}`);
          valid = false;
        } else {
          agents.push({ name, keyNode, inline, properties: parsed });
        }
      } else if (isMap(valueNode)) {
        const properties = decodeProperties(valueNode, cx);
        if (properties) agents.push({ name, keyNode, properties });
        else valid = false;
      } else {
        cx.problem(valueNode, `agent \`${name}\`: expected an inline \`[user@]host[:port]\` or a mapping of properties, got a list`);
        valid = false;
      }
    }
    if (!valid) return INVALID;
    return agents.map(({ name, inline, properties }) => ({
      name,
      ...(inline !== undefined ? { inline } : {}),
      properties: { ...defaults, ...properties },
    }));
  },
  schema: () => {
    const definition = {
      anyOf: [
        { type: 'null' },
        { type: 'string', description: 'Inline definition: `[user@]host[:port]` for the SSH deployer.' },
        {
          type: 'object',
          properties: Object.fromEntries(AGENT_PROPERTIES.map((p) => [p, { type: ['string', 'number', 'boolean'] }])),
          patternProperties: { '^pod\\.label\\..+': { type: 'string' } },
          additionalProperties: false,
        },
      ],
    };
    return {
      description: 'Agents that generate the load; `default` holds properties merged into every agent.',
      anyOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: definition },
        { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: definition, minProperties: 1, maxProperties: 1 }] } },
      ],
    };
  },
};

/** Agents with their thread counts: their own `threads` property, else the benchmark's. */
export function agentDefs(entries: readonly AgentEntry[], rootThreads: number): AgentDef[] {
  return entries.map((entry) => ({
    ...entry,
    threads: entry.properties.threads !== undefined ? Number(entry.properties.threads) : rootThreads,
  }));
}
