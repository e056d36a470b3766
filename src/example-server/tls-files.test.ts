import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDemoTls } from './tls-files.js';

// This test runs from the compiled output (dist/src/example-server/), so it checks that the compiled module finds
// the PEM files in the source tree (src/example-server/tls/) without any copy step.

const here = dirname(fileURLToPath(import.meta.url));

test('the compiled module reads the demo key pair from src/example-server/tls/', () => {
  assert.ok(here.endsWith(join('dist', 'src', 'example-server')), `expected to run from dist/, ran from ${here}`);
  const repoRoot = join(here, '..', '..', '..');
  const tls = loadDemoTls();
  const expectedDir = join(realpathSync(repoRoot), 'src', 'example-server', 'tls') + sep;
  assert.ok(realpathSync(tls.certPath).startsWith(expectedDir), tls.certPath);
  assert.ok(realpathSync(tls.keyPath).startsWith(expectedDir), tls.keyPath);
});

test('the certificate is for localhost (name and loopback addresses) and matches the key', () => {
  const tls = loadDemoTls();
  const cert = new X509Certificate(tls.cert);
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(cert.checkIP('::1'), '::1');
  assert.ok(cert.checkPrivateKey(createPrivateKey(tls.key)));
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  // Valid for decades: a demo certificate must not start failing in some CI run years from now.
  const yearsLeft = (Date.parse(cert.validTo) - Date.now()) / (365.25 * 24 * 3600 * 1000);
  assert.ok(yearsLeft > 50, `certificate expires too soon: ${cert.validTo}`);
});
