// Opens the TCP or TLS socket of a connection to the target (HTTP/1.1 and HTTP/2 alike).

import net from 'node:net';
import tls from 'node:tls';
import type { ConnectTarget } from './connection.js';

/**
 * Connects to `target` with reads delivered to `onread` (no Readable stream in between), TLS when the
 * target is secure: SNI unless the server name is an IP literal, certificates verified only with a CA.
 */
export function openSocket(target: ConnectTarget, alpnProtocols: string[], onread: net.OnReadOpts): net.Socket {
  if (!target.secure) return net.connect({ host: target.host, port: target.port, onread });
  const material = target.tls;
  // `onread` is honoured by tls.connect (it passes socket options through) but is missing from its type.
  const options: tls.ConnectionOptions & { onread: net.OnReadOpts } = {
    host: target.host,
    port: target.port,
    ALPNProtocols: alpnProtocols,
    rejectUnauthorized: material?.ca !== undefined,
    onread,
  };
  if (net.isIP(target.servername) === 0) options.servername = target.servername;
  if (material?.ca !== undefined) options.ca = material.ca;
  if (material?.cert !== undefined) options.cert = material.cert;
  if (material?.key !== undefined) options.key = material.key;
  if (material?.pfx !== undefined) options.pfx = material.pfx;
  if (material?.passphrase !== undefined) options.passphrase = material.passphrase;
  return tls.connect(options);
}
