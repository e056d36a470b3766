// TLS material for connections to the target, from the benchmark's `keyManager`/`trustManager`.
// Hyperfoil reads these files where the benchmark is built (the CLI side) and ships the contents;
// `readTlsMaterial` does that reading: PEM files, and a PKCS#12 key store for the client key.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TlsMaterial } from './connection.js';
import { HttpConfigError } from './errors.js';

/** `http.keyManager` as written in the benchmark. */
export interface KeyManagerConfig {
  storeType?: string;
  storeFile?: string;
  password?: string;
  alias?: string;
  certFile?: string;
  keyFile?: string;
}

/** `http.trustManager` as written in the benchmark. */
export interface TrustManagerConfig {
  storeType?: string;
  storeFile?: string;
  password?: string;
  certFile?: string;
}

function rejectStore(section: string, storeFile: string): never {
  throw new HttpConfigError(
    'HTTP_TLS_STORE_UNSUPPORTED',
    `http.${section}.storeFile (${storeFile}): only a PKCS#12 key store (keyManager) can be read; use \`certFile\` (PEM) instead.`,
  );
}

function readFrom(section: string, key: string, file: string, source: PemSource): Buffer {
  try {
    return typeof source === 'string' ? readFileSync(resolve(source, file)) : source(file);
  } catch (error) {
    throw new HttpConfigError('HTTP_TLS_FILE', `http.${section}.${key}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function readStore(section: string, file: string, source: PemSource): Buffer {
  return readFrom(section, 'storeFile', file, source);
}

/** Where PEM files come from: a directory, or the data files shipped with the benchmark. */
export type PemSource = string | ((file: string) => Buffer);

function readPem(section: string, key: string, file: string, source: PemSource): Buffer {
  const content = readFrom(section, key, file, source);
  if (!content.includes('-----BEGIN ')) {
    throw new HttpConfigError('HTTP_TLS_FILE', `http.${section}.${key}: ${file} is not a PEM file (no "-----BEGIN" line); convert it to PEM.`);
  }
  return content;
}

/**
 * Reads the PEM files named by `keyManager`/`trustManager` (relative paths against `baseDir`, the
 * benchmark's directory). Without a trust manager, server certificates are not verified.
 */
export function readTlsMaterial(keyManager: KeyManagerConfig | undefined, trustManager: TrustManagerConfig | undefined, baseDir: PemSource = '.'): TlsMaterial {
  const material: TlsMaterial = {};
  if (trustManager !== undefined) {
    if (trustManager.storeFile !== undefined) rejectStore('trustManager', trustManager.storeFile);
    if (trustManager.certFile !== undefined) material.ca = readPem('trustManager', 'certFile', trustManager.certFile, baseDir);
  }
  if (keyManager !== undefined) {
    if (keyManager.storeFile !== undefined) {
      // PKCS#12, checked when the benchmark was read (src/config/tls-store.ts); Node loads it as `pfx`.
      material.pfx = readStore('keyManager', keyManager.storeFile, baseDir);
      if (keyManager.password !== undefined) material.passphrase = keyManager.password;
    }
    if ((keyManager.certFile === undefined) !== (keyManager.keyFile === undefined)) {
      throw new HttpConfigError('HTTP_TLS_INCOMPLETE', 'http.keyManager needs both certFile and keyFile (PEM) for a client certificate.');
    }
    if (keyManager.certFile !== undefined && keyManager.keyFile !== undefined) {
      material.cert = readPem('keyManager', 'certFile', keyManager.certFile, baseDir);
      material.key = readPem('keyManager', 'keyFile', keyManager.keyFile, baseDir);
    }
  }
  return material;
}
