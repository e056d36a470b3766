#!/usr/bin/env node
// A tiny HTTP/1.1 server for client benchmarks: answers every request head with a canned 200
// (keep-alive, pipelining-safe). It does as little as possible so that the client is what is measured.
// Prints `port <n>` when listening; on the stdin line `cpu` prints `cpu <userMs> <systemMs>`.
// Exits when stdin closes. Usage: node bench/http-tiny-server.mjs [port]
import net from 'node:net';

const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok');
const canned = [Buffer.alloc(0)];
for (let n = 1; n <= 64; n++) canned.push(Buffer.concat(Array(n).fill(RESPONSE)));
const END = Buffer.from('\r\n\r\n');

const server = net.createServer({ noDelay: true }, (socket) => {
  let tail = 0; // bytes of a possible "\r\n\r\n" already seen at the end of the previous read
  socket.on('data', (data) => {
    let count = 0;
    let pos = 0;
    // Finish a terminator split across reads.
    if (tail > 0) {
      const need = 4 - tail;
      if (data.length >= need && data.subarray(0, need).equals(END.subarray(tail))) {
        count++;
        pos = need;
      }
      tail = 0;
    }
    for (;;) {
      const i = data.indexOf(END, pos);
      if (i < 0) break;
      count++;
      pos = i + 4;
    }
    for (let t = 3; t > 0; t--) {
      if (data.length - pos >= t && data.subarray(data.length - t).equals(END.subarray(0, t))) {
        tail = t;
        break;
      }
    }
    while (count > 0) {
      const n = Math.min(count, 64);
      socket.write(canned[n]);
      count -= n;
    }
  });
  socket.on('error', () => {});
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`port ${server.address().port}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line) => {
  if (line.includes('cpu')) {
    const u = process.cpuUsage();
    process.stdout.write(`cpu ${(u.user / 1000).toFixed(1)} ${(u.system / 1000).toFixed(1)}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
