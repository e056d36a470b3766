// Public face of the HTTP client: HTTP/1.1 over net/tls with pooled, pipelined keep-alive connections, and
// HTTP/2 (h2 by ALPN, h2c with prior knowledge) behind the same pool and handler contract (see h2/).
// It reports outcomes through ResponseHandler / PoolWaiter callbacks and knows nothing about statistics.
//
// How the engine uses it (one worker thread; `ctx` is a pooled request context implementing both
// ResponseHandler and PoolWaiter, so nothing is allocated per request):
//
//   // once per http target and thread
//   const pool = new HttpConnectionPool({ authority: 'example.com:443', host: 'example.com', port: 443, secure: true,
//     size: normalizePoolSize(sharedConnections), strategy: 'SHARED_POOL', pipeliningLimit: 1,
//     tls: readTlsMaterial(keyManager, trustManager, benchmarkDir), addresses: [parseAddress('10.0.0.1:8443', 443)] });
//   pool.start((error) => { ... });            // opens `core` connections (error: target unreachable)
//   // once per request step
//   const template = new RequestTemplate({ method: 'GET', authority: pool.authority, path: '/x', headers: [...] });
//   // once per session (SESSION_POOLS / OPEN_ON_REQUEST keep connections per session; others return the pool)
//   const source = pool.forSession();
//   // per request
//   const request = template.fixed ?? (template.encode(ctx.values, ctx.out), ctx.out);
//   const connection = source.acquire(ctx);
//   if (connection !== null) ctx.sentAtNs = connection.send(request, ctx, timeoutMs);
//   else ctx.blockedSinceNs = nowNs();         // blocked: ctx.onConnectionAvailable(c) comes later, send there;
//                                              // blockedTime = the time until then
//   // then exactly one of ctx.onComplete(completedAtNs, receivedBytes) / ctx.onFailure(kind, error)
//   source.releaseSession();                   // when the session ends
//   pool.stats.sampleAndReset();               // every statistics period (connection min/max gauges)
//   pool.shutdown();                           // at the end

export { nowNs, nowMs } from './clock.js';
export { HttpConfigError, type HttpConfigErrorCode } from './errors.js';
export type { FailureKind, ResponseHandler, PoolWaiter, HttpConnection } from './handler.js';
export { ResponseParser, type ParserSink, type ParserOptions } from './parser.js';
export {
  RequestTemplate,
  RequestValues,
  OutgoingRequest,
  escapePathSpaces,
  describeEncodeResult,
  ENCODE_OK,
  ENCODE_BAD_TARGET,
  ENCODE_BAD_HEADER,
  HTTP_METHODS,
  type EncodeResult,
  type HttpMethod,
  type EncodedRequest,
  type RequestTemplateSpec,
} from './request-encoder.js';
export { Http1Connection, type ConnectTarget, type TlsMaterial, type ConnectionOptions } from './connection.js';
export { HttpConnectionPool, type PoolOptions } from './pool.js';
export type { PooledConnection } from './pooled-connection.js';
export { H2Connection, type H2Options } from './h2/connection.js';
export { chooseProtocol, type ProtocolChoice } from './h2/protocol-choice.js';
export { SessionConnections, type ConnectionSource } from './session-connections.js';
export {
  normalizePoolSize,
  parseConnectionStrategy,
  parseAddress,
  CONNECTION_STRATEGIES,
  type ConnectionStrategy,
  type PoolSize,
  type SharedConnectionsInput,
  type ConnectAddress,
} from './pool-config.js';
export { ConnectionPoolStats, Watermark, type ConnectionStatsSample, type ConnectionKind } from './stats.js';
export { readTlsMaterial, type KeyManagerConfig, type PemSource, type TrustManagerConfig } from './tls-material.js';
export { poolForTarget } from './pool-for-target.js';
