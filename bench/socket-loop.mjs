#!/usr/bin/env node
// The floor of any Node.js HTTP/1.1 client: a closed loop of bare sockets that sends a fixed GET each time bytes
// arrive (nginx answers `return 200 "ok"` in one read), with no parsing, statistics or sessions. Reads land in one
// shared buffer (`onread`), as in our client. Run by `npm run bench -- --only h2` over TLS next to wrk and ours, so
// that what Node's TLS layer costs per request shows apart from what our client adds.
//   node bench/socket-loop.mjs tcp|tls PORT CONNECTIONS SECONDS     (prints "Requests/sec: N" like wrk)
import net from 'node:net';
import tls from 'node:tls';

const [kind, portText, connectionsText, secondsText] = process.argv.slice(2);
const port = Number(portText);
const seconds = Number(secondsText);
if (!['tcp', 'tls'].includes(kind) || !(port > 0) || !(Number(connectionsText) > 0) || !(seconds > 0)) {
  console.error('usage: node bench/socket-loop.mjs tcp|tls PORT CONNECTIONS SECONDS');
  process.exit(2);
}
const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
const readBuffer = Buffer.allocUnsafe(64 * 1024);
let responses = 0;
for (let i = 0; i < Number(connectionsText); i++) {
  const onread = { buffer: readBuffer, callback: () => { responses++; socket.write(request); return true; } };
  const socket = kind === 'tls'
    ? tls.connect({ host: '127.0.0.1', port, onread, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
    : net.connect({ host: '127.0.0.1', port, onread });
  socket.setNoDelay(true);
  socket.on(kind === 'tls' ? 'secureConnect' : 'connect', () => socket.write(request));
  socket.on('error', (error) => { console.error(`connection ${i}: ${error.message}`); process.exit(1); });
}
setTimeout(() => {
  console.log(`Requests/sec: ${(responses / seconds).toFixed(2)}`);
  process.exit(0);
}, seconds * 1000);
