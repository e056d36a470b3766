import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { crc32, createZip } from './zip.js';

interface ReadEntry { name: string; method: number; data: Buffer; crc: number; mode: number }

/** An independent reader: walks the central directory from the end record and checks each local header against it. */
function readZip(zip: Buffer): ReadEntry[] {
  const end = zip.length - 22;
  assert.equal(zip.readUInt32LE(end), 0x06054b50, 'end of central directory record at the very end');
  const count = zip.readUInt16LE(end + 10);
  const centralSize = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  assert.equal(at + centralSize, end, 'central directory ends where the end record starts');
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength;
    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50);
    assert.equal(zip.readUInt32LE(localOffset + 14), crc, 'local and central CRC agree');
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const dataStart = localOffset + 30 + localNameLength + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size);
    entries.push({ name, method, data, crc, mode });
  }
  return entries;
}

describe('crc32', () => {
  it('gives the standard check value and agrees with the CRC in a gzip trailer', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
    for (const size of [1, 7, 1000, 65537]) {
      const data = randomBytes(size);
      const gz = gzipSync(data);
      assert.equal(crc32(data), gz.readUInt32LE(gz.length - 8), `size ${size}`);
      const half = size >> 1;
      assert.equal(crc32(data.subarray(half), crc32(data.subarray(0, half))), crc32(data), 'continues over chunks');
    }
  });
});

describe('createZip', () => {
  const csv = Buffer.from('Phase,Metric,Requests\n' + 'main,test,1000\n'.repeat(200));
  const noise = randomBytes(3000); // incompressible: must be stored, not deflated
  const entries = [
    { name: 'total.csv', data: csv },
    { name: 'stats/noise.bin', data: noise },
    { name: 'empty.csv', data: Buffer.alloc(0) },
    { name: 'ünïcode.csv', data: Buffer.from('x') },
  ];

  it('round-trips every entry, deflating only what shrinks', () => {
    const zip = createZip(entries);
    const read = readZip(zip);
    assert.deepEqual(read.map((e) => e.name), entries.map((e) => e.name));
    for (const [i, entry] of read.entries()) {
      assert.ok(entry.data.equals(entries[i]!.data), entry.name);
      assert.equal(entry.crc, crc32(entries[i]!.data));
      assert.equal(entry.mode, 0o100644);
    }
    assert.equal(read[0]!.method, 8, 'repetitive CSV is deflated');
    assert.equal(read[1]!.method, 0, 'random bytes are stored');
    assert.ok(createZip([{ name: 'total.csv', data: csv }]).length < csv.length / 4, 'a repetitive CSV shrinks');
    const stored = readZip(createZip(entries, { compress: false }));
    assert.ok(stored.every((e) => e.method === 0));
  });

  it('is accepted by the system unzip (skipped when unzip is not installed)', (t) => {
    const probe = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    if (probe.error) {
      t.skip('unzip is not installed');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hf-zip-'));
    try {
      const path = join(dir, 'stats.zip');
      writeFileSync(path, createZip(entries, { compress: true }));
      const test = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
      assert.equal(test.status, 0, test.stdout + test.stderr);
      assert.match(test.stdout, /No errors detected/);
      const content = spawnSync('unzip', ['-p', path, 'total.csv']);
      assert.ok(Buffer.from(content.stdout).equals(csv));
      const list = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8' });
      assert.deepEqual(list.stdout.trim().split('\n'), entries.map((e) => e.name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that would escape the extraction directory, and duplicates', () => {
    for (const name of ['../x', '/etc/passwd', 'a/../../b', 'a\\b', '', 'nul\0']) {
      assert.throws(() => createZip([{ name, data: Buffer.from('x') }]), /cannot put/, JSON.stringify(name));
    }
    assert.throws(() => createZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }]), /appears twice/);
  });
});
