import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encodeMultipart, multipartBoundary, MultipartError, parseMultipart } from './multipart.js';

const CT = 'multipart/form-data; boundary=XyZ';

function body(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function problem(data: Buffer, contentType = CT, limits = {}): string {
  try {
    parseMultipart(data, contentType, limits);
  } catch (error) {
    assert.ok(error instanceof MultipartError, `expected a MultipartError, got ${String(error)}`);
    assert.equal(error.code, 'MALFORMED_MULTIPART');
    return error.message;
  }
  assert.fail('expected the body to be refused');
}

describe('parseMultipart', () => {
  it('reads what fetch\'s FormData encoder (undici) produces, binary content included', async () => {
    const binary = Buffer.concat([Buffer.from('\r\n--XyZ\r\n'), randomBytes(4096), Buffer.from('\r\n--')]);
    const form = new FormData();
    form.append('benchmark', new Blob(['name: demo\n'], { type: 'text/vnd.yaml' }), 'demo.hf.yaml');
    form.append('file', new Blob([binary]), 'data/users "all".bin');
    form.append('note', 'plain field');
    const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
    const contentType = request.headers.get('content-type') ?? undefined;
    const parts = parseMultipart(Buffer.from(await request.arrayBuffer()), contentType);
    assert.deepEqual(parts.map((p) => [p.name, p.filename]),
      [['benchmark', 'demo.hf.yaml'], ['file', 'data/users %22all%22.bin'], ['note', undefined]]);
    assert.equal(parts[0]!.contentType, 'text/vnd.yaml');
    assert.equal(parts[0]!.data.toString(), 'name: demo\n');
    assert.ok(parts[1]!.data.equals(binary), 'binary content with CRLF and dashes survives');
    assert.equal(parts[2]!.data.toString(), 'plain field');
  });

  it('accepts a preamble, an epilogue, transport padding, quoted boundaries and filename*', () => {
    const parts = parseMultipart(body(
      'this preamble is ignored',
      '--a b  ',
      'Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'na%C3%AFve.csv',
      '',
      'x,y',
      '--a b--',
      'epilogue',
    ), 'multipart/form-data; boundary="a b"');
    assert.equal(parts.length, 1);
    assert.equal(parts[0]!.filename, 'naïve.csv');
    assert.equal(parts[0]!.data.toString(), 'x,y');
  });

  it('accepts an empty body with only the closing delimiter and parts without content', () => {
    assert.deepEqual(parseMultipart(body('--XyZ--', ''), CT), []);
    const parts = parseMultipart(body('--XyZ', 'Content-Disposition: form-data; name=a', '', '', '--XyZ--'), CT);
    assert.equal(parts[0]!.name, 'a');
    assert.equal(parts[0]!.data.length, 0);
  });

  it('refuses a missing or invalid boundary parameter', () => {
    assert.match(problem(Buffer.alloc(0), 'multipart/form-data'), /no `boundary=`/);
    assert.match(problem(Buffer.alloc(0), 'text/plain; boundary=x'), /expected Content-Type multipart\/form-data/);
    assert.match(problem(Buffer.alloc(0), `multipart/form-data; boundary=${'b'.repeat(71)}`), /1 to 70/);
    assert.match(problem(Buffer.alloc(0), 'multipart/form-data; boundary="unterminated'), /expected Content-Type/);
    assert.throws(() => multipartBoundary(undefined), /got none/);
  });

  it('refuses truncated and malformed bodies with a message saying what is wrong', () => {
    assert.match(problem(body('no boundary at all')), /never appears/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name=a', '', 'data')), /truncated/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name=a', '', 'x', '--XyZ')), /without the closing boundary/);
    assert.match(problem(body('--XyZ', 'Content-Type: text/plain', '', 'x', '--XyZ--')), /no Content-Disposition/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: attachment; name=a', '', 'x', '--XyZ--')), /must be `form-data`/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; filename=a', '', 'x', '--XyZ--')), /no `name=`/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name="a', '', 'x', '--XyZ--')), /cannot read Content-Disposition/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name=a', 'content-disposition: form-data; name=b', '', 'x', '--XyZ--')), /appears twice/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name=a', ' folded', '', 'x', '--XyZ--')), /folded/);
    assert.match(problem(body('--XyZ', 'not a header', '', 'x', '--XyZ--')), /not a `Name: value` header/);
    assert.match(problem(Buffer.from('--XyZ\nContent-Disposition: form-data; name=a\n\nx\n--XyZ--\n')), /must end with CRLF/);
    assert.match(problem(body('--XyZ', 'Content-Disposition: form-data; name=a', '', 'x', '--XyZjunk')), /must end with CRLF/);
  });

  it('enforces the part count, header size and part size limits', () => {
    const part = (i: number) => `--XyZ\r\nContent-Disposition: form-data; name=p${i}\r\n\r\nv\r\n`;
    const many = Buffer.from(Array.from({ length: 4 }, (_, i) => part(i)).join('') + '--XyZ--');
    assert.equal(parseMultipart(many, CT, { maxParts: 4 }).length, 4);
    assert.match(problem(many, CT, { maxParts: 3 }), /more than 3 parts/);
    const longHeader = body('--XyZ', `Content-Disposition: form-data; name=a; x="${'h'.repeat(200)}"`, '', 'x', '--XyZ--');
    assert.match(problem(longHeader, CT, { maxHeaderBytes: 100 }), /headers longer than 100 bytes/);
    const big = body('--XyZ', 'Content-Disposition: form-data; name=a', '', 'x'.repeat(11), '--XyZ--');
    assert.match(problem(big, CT, { maxPartBytes: 10 }), /larger than 10 bytes/);
    assert.equal(parseMultipart(big, CT, { maxPartBytes: 11 })[0]!.data.length, 11);
  });
});

describe('parseMultipart with multipart/mixed fields (RFC 2388, as Netty sends several files under one name)', () => {
  const mixed = (inner: string[]) => body(
    '--AaB03x',
    'Content-Disposition: form-data; name="benchmark"; filename="demo.yaml"',
    'Content-Type: text/vnd.yaml',
    '',
    'name: demo',
    '--AaB03x',
    'Content-Disposition: form-data; name="file"',
    'Content-Type: multipart/mixed; boundary=BbC04y',
    '',
    ...inner,
    '--AaB03x--',
  );
  const twoFiles = [
    '--BbC04y',
    'Content-Disposition: attachment; filename="a.csv"',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: binary',
    '',
    '1,2',
    '--BbC04y',
    'Content-Disposition: file; filename="b.csv"',
    '',
    '3,4',
    '--BbC04y--',
  ];
  const CT_MIXED = 'multipart/form-data; boundary=AaB03x';

  it('flattens the files of a mixed field into parts named after the field', () => {
    const parts = parseMultipart(mixed(twoFiles), CT_MIXED);
    assert.deepEqual(parts.map((p) => [p.name, p.filename, p.data.toString()]),
      [['benchmark', 'demo.yaml', 'name: demo'], ['file', 'a.csv', '1,2'], ['file', 'b.csv', '3,4']]);
    assert.equal(parseMultipart(mixed(twoFiles), CT_MIXED, { maxParts: 3 }).length, 3, 'the container is not counted');
    assert.match(problem(mixed(twoFiles), CT_MIXED, { maxParts: 2 }), /more than 2 parts/);
  });

  it('refuses a broken mixed field and encoded content', () => {
    assert.match(problem(mixed(twoFiles.slice(0, -1)), CT_MIXED), /part 2\.2 is not followed by a boundary|part 2 ends without/);
    assert.match(problem(mixed(twoFiles.map((l) => l.replace('binary', 'base64'))), CT_MIXED), /part 2\.1: Content-Transfer-Encoding `base64` is not supported/);
    assert.match(problem(mixed(['--Other', '', 'x', '--Other--']), CT_MIXED), /in part 2\., the boundary given in the Content-Type never appears/);
  });
});

describe('encodeMultipart', () => {
  it('produces a body that both our parser and undici\'s FormData parser read back', async () => {
    const data = randomBytes(2048);
    const { contentType, body: encoded } = encodeMultipart([
      { name: 'file', filename: 'users.csv', contentType: 'text/csv', data: Buffer.from('a,b\r\n1,2\r\n') },
      { name: 'file', filename: 'odd "name".bin', data },
    ]);
    const ours = parseMultipart(encoded, contentType);
    assert.deepEqual(ours.map((p) => p.filename), ['users.csv', 'odd %22name%22.bin']);
    assert.ok(ours[1]!.data.equals(data));
    const form = await new Response(encoded, { headers: { 'content-type': contentType } }).formData();
    const files = form.getAll('file') as File[];
    // undici follows the HTML rule and decodes %22 back to a quote
    assert.deepEqual(files.map((f) => f.name), ['users.csv', 'odd "name".bin']);
    assert.equal(await files[0]!.text(), 'a,b\r\n1,2\r\n');
    assert.ok(Buffer.from(await files[1]!.arrayBuffer()).equals(data));
  });
});
