/** The connection pool of one `http` target of a benchmark (one per target and worker thread). */
import type { HttpTarget } from '../config/index.js';
import { HttpConnectionPool } from './pool.js';
import type { PoolOptions } from './pool.js';
import { normalizePoolSize, parseAddress } from './pool-config.js';
import { readTlsMaterial } from './tls-material.js';

export function poolForTarget(
  target: HttpTarget,
  readFile: (name: string) => Buffer,
  overrides: Partial<Pick<PoolOptions, 'retryInitialMs' | 'retryMaxMs' | 'startFailureLimit' | 'allowHttp1x' | 'allowHttp2'>> = {},
): HttpConnectionPool {
  const secure = target.protocol === 'https';
  return new HttpConnectionPool({
    authority: target.authority,
    host: target.host,
    port: target.port,
    secure,
    size: normalizePoolSize({
      core: target.sharedConnections.core,
      max: target.sharedConnections.max,
      buffer: target.sharedConnections.buffer,
      keepAliveTime: target.sharedConnections.keepAliveTimeMs,
    }),
    strategy: target.connectionStrategy,
    pipeliningLimit: target.pipeliningLimit,
    addresses: target.addresses.map((address) => parseAddress(address, target.port)),
    tlsHandshakeTimeoutMs: target.sslHandshakeTimeoutMs,
    allowHttp1x: target.allowHttp1x,
    allowHttp2: target.allowHttp2,
    maxHttp2Streams: target.maxHttp2Streams,
    ...(secure ? { tls: readTlsMaterial(target.keyManager, target.trustManager, readFile) } : {}),
    ...overrides,
  });
}
