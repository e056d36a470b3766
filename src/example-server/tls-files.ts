import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExampleServerError } from './errors.js';

/**
 * The example server's TLS key and certificate: self-signed for localhost, committed in `tls/`, for the DEMO ONLY
 * (the key is public). They are not copied into `dist/`: the compiled module (`dist/src/example-server/`) reaches
 * back into the source tree, and a module run straight from `src/example-server/` finds them beside itself.
 */
const CANDIDATE_DIRS: readonly URL[] = [
  new URL('../../../src/example-server/tls/', import.meta.url),
  new URL('./tls/', import.meta.url),
];

export const TLS_KEY_FILE = 'localhost-key.pem';
export const TLS_CERT_FILE = 'localhost-cert.pem';

export interface TlsMaterial {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** Where the files were read from (for messages and tests). */
  readonly keyPath: string;
  readonly certPath: string;
}

/** Reads the demo key pair from the first candidate directory that has both files. */
export function loadDemoTls(): TlsMaterial {
  const tried: string[] = [];
  for (const dir of CANDIDATE_DIRS) {
    const keyPath = fileURLToPath(new URL(TLS_KEY_FILE, dir));
    const certPath = fileURLToPath(new URL(TLS_CERT_FILE, dir));
    tried.push(fileURLToPath(dir));
    try {
      return { key: readFileSync(keyPath), cert: readFileSync(certPath), keyPath, certPath };
    } catch {
      // try the next location
    }
  }
  throw new ExampleServerError('TLS_FILES_MISSING',
    `cannot find the demo TLS files ${TLS_KEY_FILE} and ${TLS_CERT_FILE} (looked in ${tried.join(', ')}); ` +
    'reinstall the package with its src/ folder, or start without HTTPS (--no-https).');
}
