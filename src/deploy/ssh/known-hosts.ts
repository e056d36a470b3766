/**
 * The SSH host keys the controller has seen, in OpenSSH's known_hosts format (`host` or `[host]:port`, key type,
 * base64 key), kept in a file of the controller's own. A host seen for the first time is accepted and recorded
 * (OpenSSH's `accept-new`); a host whose key differs from the recorded one is refused.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';

export type HostKeyVerdict =
  | { readonly ok: true; readonly added: boolean }
  | { readonly ok: false; readonly message: string };

/** OpenSSH's `SHA256:…` fingerprint of a public key blob. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`…). */
function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export class KnownHosts {
  constructor(readonly file: string) {}

  check(host: string, port: number, blob: Buffer): HostKeyVerdict {
    const pattern = hostPattern(host, port);
    const key = blob.toString('base64');
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      // No file yet: every host is new.
    }
    const recorded: string[] = [];
    for (const line of text.split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 3 || fields[0]?.startsWith('#')) continue;
      if (!(fields[0] as string).split(',').includes(pattern)) continue;
      if (fields[2] === key) return { ok: true, added: false };
      recorded.push(`${fields[1]} ${keyFingerprint(Buffer.from(fields[2] as string, 'base64'))}`);
    }
    if (recorded.length > 0) {
      return {
        ok: false,
        message: `the SSH host key of ${pattern} has changed: it is now ${keyType(blob)} ${keyFingerprint(blob)}, the controller recorded ` +
          `${recorded.join(', ')} in ${this.file}. This may be an attack; if the host was legitimately reinstalled, delete its line from that file`,
      };
    }
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${pattern} ${keyType(blob)} ${key}\n`, { mode: 0o600 });
    return { ok: true, added: true };
  }
}
