// HPACK against the examples of RFC 7541 Appendix C (the byte strings are the RFC's; written here as
// our own test data), plus round trips of our encoder through our decoder and Huffman edge cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HpackDecoder } from './hpack-decoder.js';
import { encodeFields, writeField } from './hpack-encoder.js';
import { huffmanDecode, huffmanEncode, huffmanEncodedLength } from './huffman.js';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function decodeAll(decoder: HpackDecoder, block: Buffer): [string, string][] {
  const fields: [string, string][] = [];
  const error = decoder.decode(block, 0, block.length, { onHeaderField: (n, v) => fields.push([n, v]) });
  assert.equal(error, null);
  return fields;
}

function table(decoder: HpackDecoder): [string, string][] {
  return Array.from({ length: decoder.dynamicLength }, (_, i) => decoder.dynamicEntry(i));
}

test('C.2: single fields (literal with and without indexing, never indexed, indexed)', () => {
  const d1 = new HpackDecoder();
  assert.deepEqual(decodeAll(d1, hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')), [['custom-key', 'custom-header']]);
  assert.deepEqual(table(d1), [['custom-key', 'custom-header']]);
  assert.equal(d1.dynamicBytes, 55);
  const d2 = new HpackDecoder();
  assert.deepEqual(decodeAll(d2, hex('040c 2f73 616d 706c 652f 7061 7468')), [[':path', '/sample/path']]);
  assert.equal(d2.dynamicLength, 0);
  const d3 = new HpackDecoder();
  assert.deepEqual(decodeAll(d3, hex('1008 7061 7373 776f 7264 0673 6563 7265 74')), [['password', 'secret']]);
  assert.equal(d3.dynamicLength, 0);
  assert.deepEqual(decodeAll(new HpackDecoder(), hex('82')), [[':method', 'GET']]);
});

const requests: [string, string][][] = [
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
  [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
];
const requestTables: [number, [string, string][]][] = [
  [57, [[':authority', 'www.example.com']]],
  [110, [['cache-control', 'no-cache'], [':authority', 'www.example.com']]],
  [164, [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], [':authority', 'www.example.com']]],
];

function checkSequence(decoder: HpackDecoder, blocks: string[], fields: [string, string][][], tables: [number, [string, string][]][]): void {
  blocks.forEach((block, i) => {
    assert.deepEqual(decodeAll(decoder, hex(block)), fields[i], `block ${i + 1}`);
    assert.deepEqual(table(decoder), tables[i]![1], `table after block ${i + 1}`);
    assert.equal(decoder.dynamicBytes, tables[i]![0], `table size after block ${i + 1}`);
  });
}

test('C.3: requests without Huffman share one dynamic table', () => {
  checkSequence(
    new HpackDecoder(),
    ['8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', '8286 84be 5808 6e6f 2d63 6163 6865', '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'],
    requests,
    requestTables,
  );
});

test('C.4: requests with Huffman share one dynamic table', () => {
  checkSequence(
    new HpackDecoder(),
    ['8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', '8286 84be 5886 a8eb 1064 9cbf', '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'],
    requests,
    requestTables,
  );
});

const date1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const date2 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const location = 'https://www.example.com';
const cookie = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const responses: [string, string][][] = [
  [[':status', '302'], ['cache-control', 'private'], ['date', date1], ['location', location]],
  [[':status', '307'], ['cache-control', 'private'], ['date', date1], ['location', location]],
  [[':status', '200'], ['cache-control', 'private'], ['date', date2], ['location', location], ['content-encoding', 'gzip'], ['set-cookie', cookie]],
];
const responseTables: [number, [string, string][]][] = [
  [222, [['location', location], ['date', date1], ['cache-control', 'private'], [':status', '302']]],
  [222, [[':status', '307'], ['location', location], ['date', date1], ['cache-control', 'private']]],
  [215, [['set-cookie', cookie], ['content-encoding', 'gzip'], ['date', date2]]],
];

test('C.5: responses without Huffman evict from a 256-byte table', () => {
  checkSequence(
    new HpackDecoder(256),
    [
      '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '4803 3330 37c1 c0bf',
      '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    ],
    responses,
    responseTables,
  );
});

test('C.6: responses with Huffman evict from a 256-byte table', () => {
  checkSequence(
    new HpackDecoder(256),
    [
      '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
      '4883 640e ff c1 c0 bf',
      '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
    ],
    responses,
    responseTables,
  );
});

test('Huffman encoding reproduces the RFC strings and round-trips every byte value', () => {
  const out = Buffer.alloc(64);
  const end = huffmanEncode('www.example.com', out, 0);
  assert.equal(out.subarray(0, end).toString('hex'), 'f1e3c2e5f23a6ba0ab90f4ff');
  assert.equal(huffmanEncodedLength('no-cache'), 6);
  let all = '';
  for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
  const encoded = Buffer.alloc(huffmanEncodedLength(all));
  assert.equal(huffmanEncode(all, encoded, 0), encoded.length);
  const decoded = Buffer.alloc(all.length);
  assert.equal(huffmanDecode(encoded, 0, encoded.length, decoded, 0), all.length);
  assert.equal(decoded.toString('latin1'), all);
});

test('invalid Huffman padding and EOS are refused', () => {
  const out = Buffer.alloc(16);
  // 'a' is 00011 (5 bits); padding with zeros instead of ones is invalid.
  assert.equal(huffmanDecode(Buffer.from([0b00011000]), 0, 1, out, 0), -1);
  assert.equal(huffmanDecode(Buffer.from([0b00011111]), 0, 1, out, 0), 1);
  // A whole byte of padding (8 ones) is more than 7 bits.
  assert.equal(huffmanDecode(Buffer.from([0b00011111, 0xff]), 0, 2, out, 0), -1);
  // EOS (30 ones) inside the string.
  assert.equal(huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4, out, 0), -1);
});

test('malformed blocks give an error, never an exception', () => {
  const bad = ['ff', 'ff ff ff ff ff ff 7f', '80', 'be', '4a', '40 85 ff', '40 0a 61', '3f e2 1f', '82 20'];
  for (const block of bad) {
    const d = new HpackDecoder();
    const error = d.decode(hex(block), 0, hex(block).length, { onHeaderField: () => {} });
    assert.equal(typeof error, 'string', `block ${block}`);
  }
  const limited = new HpackDecoder(4096, 100);
  const big = encodeFields([['x-big', 'v'.repeat(200)]]);
  assert.match(limited.decode(big, 0, big.length, { onHeaderField: () => {} }) ?? '', /header list larger than 100/);
});

test('our request encoding decodes to the same fields and never touches the dynamic table', () => {
  const fields: [string, string][] = [
    [':method', 'POST'],
    [':scheme', 'https'],
    [':path', '/a/b?c=d'],
    [':authority', 'localhost:8443'],
    ['content-type', 'application/json'],
    ['x-custom', 'value with spaces'],
    ['accept-encoding', 'gzip, deflate'],
  ];
  for (const huffman of [true, false]) {
    const out = Buffer.alloc(512);
    let at = 0;
    for (const [n, v] of fields) at = writeField(out, at, n, v, huffman);
    const decoder = new HpackDecoder();
    assert.deepEqual(decodeAll(decoder, out.subarray(0, at)), fields);
    assert.equal(decoder.dynamicLength, 0);
  }
  assert.deepEqual(decodeAll(new HpackDecoder(), encodeFields(fields)), fields);
});

test('skipUnindexedValues: literals kept by the table and pseudo-headers are still decoded, the rest is skipped', () => {
  // C.5.3's block: :status 200 indexed, then indexed and literal fields; plus a literal :status and an unindexed one.
  const d = new HpackDecoder(256);
  d.skipUnindexedValues = true;
  const block = Buffer.concat([
    hex('0803 3230 31'), // :status 201, literal without indexing (static name 8): still delivered
    hex('0f10 0474 6578 74'), // content-type: text (literal without indexing, static name 31): skipped
    hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'), // custom-key with indexing: decoded and added
  ]);
  assert.deepEqual(decodeAll(d, block), [[':status', '201'], ['custom-key', 'custom-header']]);
  assert.deepEqual(table(d), [['custom-key', 'custom-header']]);
});

test('repeated literals (served from the decoded-string cache) decode like fresh ones, collisions included', () => {
  const d = new HpackDecoder();
  const values = Array.from({ length: 500 }, (_, i) => `value-${i}-${'x'.repeat(i % 40)}`);
  for (let round = 0; round < 2; round++) {
    for (const huffman of [true, false]) {
      const out = Buffer.alloc(256);
      for (const value of values) {
        const end = writeField(out, 0, 'x-v', value, huffman);
        assert.deepEqual(decodeAll(d, out.subarray(0, end)), [['x-v', value]]);
      }
    }
  }
});
