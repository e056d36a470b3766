// Public face of the HTTP client: HTTP/1.1 over net/tls with pooled, pipelined keep-alive connections.
// It reports outcomes through ResponseHandler / PoolWaiter callbacks and knows nothing about statistics.

export { nowNs, nowMs } from './clock.js';
export { HttpConfigError, type HttpConfigErrorCode } from './errors.js';
export type { FailureKind, ResponseHandler, PoolWaiter } from './handler.js';
export { ResponseParser, type ParserSink, type ParserOptions } from './parser.js';
export {
  RequestTemplate,
  RequestValues,
  OutgoingRequest,
  escapePathSpaces,
  HTTP_METHODS,
  type HttpMethod,
  type EncodedRequest,
  type RequestTemplateSpec,
} from './request-encoder.js';
export { Http1Connection, type ConnectTarget, type TlsMaterial, type ConnectionOptions } from './connection.js';
export { HttpConnectionPool, type PoolOptions } from './pool.js';
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
export { readTlsMaterial, type KeyManagerConfig, type TrustManagerConfig } from './tls-material.js';
