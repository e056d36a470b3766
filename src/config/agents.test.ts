import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentDefs, agentsCodec, parseInlineAgent } from './agents.js';
import { decodeYaml, valueOf } from './decode-testing.js';

const agents = (yaml: string, threads = 1): Array<[string, number, Record<string, string>, string?]> =>
  agentDefs(valueOf(decodeYaml(agentsCodec, yaml)), threads).map((a) => [a.name, a.threads, { ...a.properties }, ...(a.inline !== undefined ? [a.inline] : [])] as [string, number, Record<string, string>, string?]);
const problems = (yaml: string): string[] => decodeYaml(agentsCodec, yaml).problems;

describe('agents', () => {
  it('reads the scalar, mapping and list forms, including names without a definition', () => {
    assert.deepEqual(agents('solo'), [['solo', 1, {}]]);
    assert.deepEqual(agents('one: host1\ntwo:\nthree:\n  host: h3\n  port: 2222'), [
      ['one', 1, { host: 'host1' }, 'host1'],
      ['two', 1, {}],
      ['three', 1, { host: 'h3', port: '2222' }],
    ]);
    assert.deepEqual(agents('- bare\n- inline: me@h:22\n- props:\n    dir: /tmp/x'), [
      ['bare', 1, {}],
      ['inline', 1, { user: 'me', host: 'h', port: '22' }, 'me@h:22'],
      ['props', 1, { dir: '/tmp/x' }],
    ]);
  });

  it('merges `default` into every agent, the agent\'s own properties winning', () => {
    assert.deepEqual(agents('default:\n  user: bench\n  dir: /data\n  threads: 3\na: h1\nb:\n  dir: /other\n  threads: 1'), [
      ['a', 3, { user: 'bench', dir: '/data', threads: '3', host: 'h1' }, 'h1'],
      ['b', 1, { user: 'bench', dir: '/other', threads: '1' }],
    ]);
  });

  it('takes the root threads unless the agent sets its own', () => {
    assert.deepEqual(agents('a:\nb:\n  threads: 2', 4).map(([name, threads]) => [name, threads]), [['a', 4], ['b', 2]]);
  });

  it('accepts Kubernetes properties and pod labels', () => {
    assert.deepEqual(agents('k:\n  node: worker-1\n  stop: false\n  pod-cpu: 2\n  pod.label.team: perf\n  image: quay.io/x'), [
      ['k', 1, { node: 'worker-1', stop: 'false', 'pod-cpu': '2', 'pod.label.team': 'perf', image: 'quay.io/x' }],
    ]);
  });

  it('parses the inline `[user@]host[:port]` form', () => {
    assert.deepEqual(parseInlineAgent('h'), { host: 'h' });
    assert.deepEqual(parseInlineAgent('u@h'), { user: 'u', host: 'h' });
    assert.deepEqual(parseInlineAgent('[::1]:22'), { host: '[::1]', port: '22' });
    assert.match(String(parseInlineAgent('h:99999')), /outside 1\.\.65535/);
    assert.match(String(parseInlineAgent('a b')), /expected `\[user@\]host\[:port\]`/);
  });

  it('reports unknown properties, bad values, duplicates and a non-mapping `default` where they are written', () => {
    assert.match(problems('a:\n  sshkey: k')[0] ?? '', /^2:3 unknown agent property `sshkey`\. Did you mean `sshKey`\?/);
    assert.deepEqual(problems('a:\n  port: ssh\n  threads: 0'), [
      '2:9 agent `port` must be a port number between 1 and 65535, got `ssh`',
      '3:12 agent `threads` must be a whole number of at least 1, got `0`',
    ]);
    assert.deepEqual(problems('- a\n- a: h'), ['2:3 agent `a` is declared twice: agent names must be unique']);
    assert.match(problems('default: h\n')[0] ?? '', /^1:10 `default` holds properties merged into every agent/);
    assert.deepEqual(problems('a: "user@"'), ['1:4 agent `a`: expected `[user@]host[:port]`, got `user@`']);
    assert.match(problems('- a: 1\n  b: 2')[0] ?? '', /^1:3 expected an agent name or `name: definition` in the list, got a mapping with 2 keys/);
  });
});
