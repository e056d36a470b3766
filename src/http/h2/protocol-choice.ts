// Which protocol a pool's connections speak, from `allowHttp1x`/`allowHttp2` and the scheme.

/**
 * - `http1`: HTTP/1.1 only (TLS offers only http/1.1 in ALPN).
 * - `h2`: HTTP/2 only: over TLS ALPN offers only h2; over plain TCP h2c with prior knowledge.
 * - `alpn`: TLS offers h2 then http/1.1 and the server chooses.
 * Plain TCP with both allowed stays HTTP/1.1 (no h2c upgrade), as Hyperfoil does.
 */
export type ProtocolChoice = 'http1' | 'h2' | 'alpn';

export function chooseProtocol(secure: boolean, allowHttp1x: boolean, allowHttp2: boolean): ProtocolChoice {
  if (!allowHttp2) return 'http1';
  if (!allowHttp1x) return 'h2';
  return secure ? 'alpn' : 'http1';
}
