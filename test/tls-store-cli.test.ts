/**
 * `keyManager.storeFile` as a Hyperfoil user writes it: a PKCS#12 store authenticates a real run against a TLS
 * server that requires a client certificate; a JKS store and a bad password are refused by `validate` and `run`
 * with the position of `storeFile` and exit 3 (no stack trace).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { repoRoot } from './support/reference.js';

const testdata = join(repoRoot, 'src', 'http', 'testdata');
const dir = mkdtempSync(join(tmpdir(), 'hf-tls-store-'));
for (const name of ['client.p12', 'magic-only.jks']) copyFileSync(join(testdata, name), join(dir, name));

function benchmark(name: string, port: number, keyManager: string): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, [
    `name: ${name}`,
    'http:',
    `  host: https://localhost:${port}`,
    '  sharedConnections: 3',
    '  keyManager:',
    keyManager,
    'phases:',
    '- main:',
    '    atOnce:',
    '      users: 3',
    '      scenario:',
    '      - s:',
    '        - httpRequest: {GET: /}',
  ].join('\n'));
  return file;
}

describe('TLS key stores', () => {
  it('a PKCS#12 storeFile gets a run through a server that requires a client certificate', async () => {
    let authenticated = 0;
    const server = https.createServer({
      key: readFileSync(join(testdata, 'server-key.pem')), cert: readFileSync(join(testdata, 'server-cert.pem')),
      requestCert: true, rejectUnauthorized: true, ca: readFileSync(join(testdata, 'client-cert.pem')),
    }, (_req, res) => {
      authenticated++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const file = benchmark('p12', port, '    storeFile: client.p12\n    password: secret\n    alias: client');
      const result = await runCli(['run', file, '--root-dir', join(dir, 'root'), '-q']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(authenticated, 3, 'each of the 3 requests passed the client-certificate check');
      assert.match(result.stderr, /p12\.hf\.yaml:8:5: .*`alias` is not used: the key store's first private key/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a JKS store and a wrong password are refused at the storeFile line, exit 3, no stack trace', async () => {
    const jks = await runCli(['validate', benchmark('jks', 8443, '    storeFile: magic-only.jks\n    password: secret')]);
    assert.equal(jks.code, 3);
    assert.match(jks.stderr, /jks\.hf\.yaml:6:16: magic-only\.jks is a Java key store \(JKS\), which cannot be read here: convert it to PKCS#12 with `keytool -importkeystore/);
    assert.doesNotMatch(jks.stderr, /\n\s+at |HttpConfigError/);
    const run = await runCli(['run', benchmark('jks-run', 8443, '    storeFile: magic-only.jks'), '--root-dir', join(dir, 'root')]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /jks-run\.hf\.yaml:6:16: magic-only\.jks is a Java key store/);
    const password = await runCli(['validate', benchmark('pw', 8443, '    storeFile: client.p12\n    password: wrong')]);
    assert.equal(password.code, 3);
    assert.match(password.stderr, /pw\.hf\.yaml:6:16: client\.p12 cannot be loaded as PKCS#12: wrong `password`/);
  });

  it('a PKCS#12 trust store is refused by name with how to get a PEM certFile', async () => {
    const file = join(dir, 'trust.hf.yaml');
    writeFileSync(file, 'name: trust\nhttp:\n  host: https://localhost:8443\n  trustManager:\n    storeFile: client.p12\nphases:\n- main:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n');
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /trust\.hf\.yaml:5:16: client\.p12: a PKCS#12 trust store cannot be loaded here .*use `certFile: ca\.pem`/);
  });
});
