/**
 * `http:` — the servers requests go to. A mapping is the default target; a list declares several, and a list of
 * one makes that one the default. Each target is keyed by its authority (`host:port`); two entries with the same
 * authority must have different `name`s (requests pick one with `endpoint:`; `authority:` alone gets the last one).
 */
import type { Node as YNode } from 'yaml';
import {
  bool, byKind, INVALID, int, list, listOrSingle, map, nonEmptyStr, object, oneOf, optional, required, str,
} from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import { defaultPort, formatAuthority, parseHost, protocolFor } from './http-host.js';
import type { ConnectionStrategy, HttpTarget, SharedConnections, TlsMaterial } from './model.js';
import { MAX_CONNECTIONS, MAX_REQUESTS_PER_CONNECTION } from './limits.js';
import { timeoutMs } from './time-values.js';
import { storeFileProblem } from './tls-store.js';
import { keyNodeOf, valueNodeOf } from './yaml-nodes.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_SSL_HANDSHAKE_TIMEOUT_MS = 10_000;

const sharedConnectionsCodec: Codec<SharedConnections> = byKind('a number of connections or `{core, max, buffer, keepAliveTime}`', {
  scalar: map(int({ min: 1, limit: MAX_CONNECTIONS }), (n): SharedConnections => ({ core: n, max: n, buffer: 0, keepAliveTimeMs: 0 })),
  mapping: map(object({
    core: optional(int({ min: 0, limit: MAX_CONNECTIONS }), 'Connections opened when the run starts and kept open.'),
    max: optional(int({ min: 0, limit: MAX_CONNECTIONS }), 'Most connections the pool may hold.'),
    buffer: optional(int({ min: 0, limit: MAX_CONNECTIONS }), 'Connections kept ready beyond those in use.'),
    keepAliveTime: optional(int(), 'Idle milliseconds after which a connection is closed; 0 or less: never.'),
  }, { what: '`sharedConnections`' }), (value, node, cx): Decoded<SharedConnections> => {
    const pool = { core: value.core ?? 0, max: value.max ?? 0, buffer: value.buffer ?? 0, keepAliveTimeMs: value.keepAliveTime ?? 0 };
    if (pool.max < 1) {
      cx.problem(value.max === undefined ? node : valueNodeOf(node, 'max'), '`max` must be at least 1: no connection could ever be opened');
      return INVALID;
    }
    if (pool.core > pool.max) {
      cx.problem(valueNodeOf(node, 'core'), `\`core\` (${pool.core}) must not exceed \`max\` (${pool.max})`);
      return INVALID;
    }
    if (pool.buffer > pool.max) {
      cx.problem(valueNodeOf(node, 'buffer'), `\`buffer\` (${pool.buffer}) must not exceed \`max\` (${pool.max})`);
      return INVALID;
    }
    return pool;
  }),
});

function tlsCodec(what: string, withKey: boolean): Codec<TlsMaterial> {
  const files = ['storeFile', 'certFile', ...(withKey ? ['keyFile'] : [])] as const;
  return map(object({
    storeType: optional(str, 'Type of the store; read from the file: PKCS#12 works, JKS is refused.'),
    storeFile: optional(nonEmptyStr(), 'PKCS#12 key store (client key and certificate), relative to the benchmark; uploaded with it.'),
    password: optional(str, 'Password of the store.'),
    ...(withKey ? { alias: optional(str, 'Alias of the key in the store.') } : {}),
    certFile: optional(nonEmptyStr(), 'Certificate file (PEM), relative to the benchmark; uploaded with it.'),
    ...(withKey ? { keyFile: optional(nonEmptyStr(), 'Private key file (PEM), relative to the benchmark; uploaded with it.') } : {}),
  }, { what }), (value, node, cx): Decoded<TlsMaterial> => {
    let valid = true;
    const record = value as Record<string, string | undefined>;
    for (const key of files) {
      const name = record[key];
      if (name !== undefined && cx.loadFile(name, valueNodeOf(node, key)) === undefined) valid = false;
    }
    const store = value.storeFile !== undefined && valid ? cx.loadFile(value.storeFile, valueNodeOf(node, 'storeFile')) : undefined;
    if (store !== undefined && value.storeFile !== undefined) {
      const problem = storeFileProblem(withKey ? 'keyManager' : 'trustManager', value.storeFile, store, value.password);
      if (problem !== undefined) {
        cx.problem(valueNodeOf(node, 'storeFile'), problem);
        valid = false;
      }
      if (withKey && record['alias'] !== undefined) {
        cx.warn(keyNodeOf(node, 'alias'), '`alias` is not used: the key store\'s first private key and its certificate chain are presented (keep one key in the store)');
      }
      if (withKey && (value.certFile !== undefined || record['keyFile'] !== undefined)) {
        cx.problem(keyNodeOf(node, 'storeFile'), 'give either `storeFile` or `certFile` + `keyFile`, not both');
        valid = false;
      }
    }
    return valid ? (value as TlsMaterial) : INVALID;
  });
}

const targetCodec = map(object({
  host: required(nonEmptyStr('a host'), '`host`, `host:port` or `http(s)://host[:port]`; no path.'),
  protocol: optional(oneOf(['http', 'https']), 'Default: from the scheme in `host`, else https for port 443, else http.'),
  port: optional(int({ min: 1, max: 65535 }), 'Default: 80 for http, 443 for https.'),
  name: optional(nonEmptyStr('a name'), 'Name for `httpRequest.endpoint`; lets two entries share an authority.'),
  sharedConnections: optional(sharedConnectionsCodec, 'Connections to this target, split among agents and threads (each gets at least 1). Default 1.'),
  connectionStrategy: optional(oneOf(['SHARED_POOL', 'SESSION_POOLS', 'OPEN_ON_REQUEST', 'ALWAYS_NEW'], { ignoreCase: true }),
    'Connection pooling model. Default SHARED_POOL.'),
  addresses: optional(listOrSingle(nonEmptyStr('an address')), 'Addresses (`ip[:port]` or hostnames) to connect to instead of resolving `host`.'),
  requestTimeout: optional(timeoutMs, 'Default request timeout, or `none`. Default 30s.'),
  sslHandshakeTimeout: optional(timeoutMs, 'TLS handshake timeout, or `none`. Default 10s.'),
  allowHttp1x: optional(bool, 'Allow HTTP/1.x. Default true.'),
  allowHttp2: optional(bool, 'Allow HTTP/2 (negotiated by ALPN over TLS). Default true.'),
  directHttp2: optional(bool, 'Start HTTP/2 without upgrade (not implemented).'),
  maxHttp2Streams: optional(int({ min: 1, limit: MAX_REQUESTS_PER_CONNECTION }), 'Concurrent requests per HTTP/2 connection. Default 100.'),
  pipeliningLimit: optional(int({ min: 1, limit: MAX_REQUESTS_PER_CONNECTION }), 'Requests pipelined per HTTP/1.1 connection. Default 1.'),
  rawBytesHandlers: optional(bool, 'Allow handlers of raw response bytes. Default true.'),
  useHttpCache: optional(bool, 'Client-side HTTP cache. Default true.'),
  keyManager: optional(tlsCodec('`keyManager`', true), 'Client certificate for TLS.'),
  trustManager: optional(tlsCodec('`trustManager`', false), 'Certificates trusted for the server.'),
}, { what: 'an HTTP target', description: 'A server that requests go to.' }), (value, node, cx): Decoded<HttpTarget> => {
  const hostNode = valueNodeOf(node, 'host');
  const parsed = parseHost(value.host);
  if (!parsed.ok) {
    cx.problem(hostNode, parsed.message);
    return INVALID;
  }
  let valid = true;
  const spec = parsed.value;
  if (spec.protocol !== undefined && value.protocol !== undefined && spec.protocol !== value.protocol) {
    cx.problem(valueNodeOf(node, 'protocol'), `\`protocol: ${value.protocol}\` contradicts the scheme of \`host: ${value.host}\``);
    valid = false;
  }
  if (spec.port !== undefined && value.port !== undefined) {
    cx.problem(keyNodeOf(node, 'port'), `the port is given twice: in \`host: ${value.host}\` and in \`port\``);
    valid = false;
  }
  if (value.directHttp2 === true) {
    cx.problem(valueNodeOf(node, 'directHttp2'), '`directHttp2: true` (HTTP/2 without upgrade) is not implemented, as in Hyperfoil: remove it');
    valid = false;
  }
  if (value.allowHttp1x === false && value.allowHttp2 === false) {
    cx.problem(keyNodeOf(node, 'allowHttp2'), 'both `allowHttp1x` and `allowHttp2` are false: no protocol is left');
    valid = false;
  }
  if (!valid) return INVALID;
  const explicitPort = spec.port ?? value.port;
  const protocol = spec.protocol ?? protocolFor(value.protocol, explicitPort);
  const port = explicitPort ?? defaultPort(protocol);
  return {
    ...(value.name !== undefined ? { name: value.name } : {}),
    protocol,
    host: spec.host,
    port,
    authority: formatAuthority(spec.host, port),
    isDefault: false,
    sharedConnections: value.sharedConnections ?? { core: 1, max: 1, buffer: 0, keepAliveTimeMs: 0 },
    connectionStrategy: (value.connectionStrategy ?? 'SHARED_POOL') as ConnectionStrategy,
    addresses: value.addresses ?? [],
    requestTimeoutMs: value.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
    sslHandshakeTimeoutMs: value.sslHandshakeTimeout ?? DEFAULT_SSL_HANDSHAKE_TIMEOUT_MS,
    allowHttp1x: value.allowHttp1x ?? true,
    allowHttp2: value.allowHttp2 ?? true,
    maxHttp2Streams: value.maxHttp2Streams ?? 100,
    pipeliningLimit: value.pipeliningLimit ?? 1,
    rawBytesHandlers: value.rawBytesHandlers ?? true,
    useHttpCache: value.useHttpCache ?? true,
    ...(value.keyManager !== undefined ? { keyManager: value.keyManager } : {}),
    ...(value.trustManager !== undefined ? { trustManager: value.trustManager } : {}),
  };
});

const NO_TARGET = 'no HTTP target: `http` needs at least one `host` (Hyperfoil: "No default HTTP target set!")';

/** Targets of a list, with the authority/name clashes reported at the entry that clashes. */
function checkTargets(targets: HttpTarget[], node: YNode, cx: DecodeContext): Decoded<HttpTarget[]> {
  let valid = true;
  const items = (node as { items?: YNode[] }).items ?? [];
  targets.forEach((target, i) => {
    const at = items[i] ? cx.deref(items[i] as YNode) : node;
    const earlier = targets.slice(0, i);
    const sameAuthority = earlier.find((t) => t.authority === target.authority && (t.name === undefined || target.name === undefined || t.name === target.name));
    if (sameAuthority) {
      cx.problem(valueNodeOf(at, 'host'), `Ambiguous HTTP definition: \`${target.authority}\` is declared twice; remove one, or give both a different \`name\` and pick them with \`endpoint:\``);
      valid = false;
      return;
    }
    const sameAuthorityNamed = earlier.find((t) => t.authority === target.authority);
    if (sameAuthorityNamed) {
      cx.warn(valueNodeOf(at, 'host'), `\`${target.authority}\` is declared twice (\`${sameAuthorityNamed.name}\` and \`${target.name}\`): a request with \`authority:\` alone goes to the last one, \`${target.name}\`; use \`endpoint:\` to pick one`);
    }
    const sameName = target.name !== undefined ? earlier.find((t) => t.name === target.name) : undefined;
    if (sameName) {
      cx.problem(valueNodeOf(at, 'name'), `two HTTP targets are named \`${target.name}\`: names must be unique`);
      valid = false;
    }
  });
  if (!valid) return INVALID;
  return targets.length === 1 ? [{ ...(targets[0] as HttpTarget), isDefault: true }] : targets;
}

export const httpCodec: Codec<HttpTarget[]> = byKind('an HTTP target (mapping) or a list of them', {
  mapping: map(targetCodec, (target) => [{ ...target, isDefault: true }]),
  list: map(list(targetCodec), (targets, node, cx) => {
    if (targets.length === 0) {
      cx.problem(node, NO_TARGET);
      return INVALID;
    }
    return checkTargets(targets, node, cx);
  }),
  empty: {
    expected: 'an HTTP target',
    decode: (node, cx) => {
      cx.problem(node, NO_TARGET);
      return INVALID;
    },
    schema: () => ({}),
  },
});
