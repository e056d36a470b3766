/**
 * `multipart/form-data` (RFC 7578 on top of RFC 2046): a strict parser for a body that is already in memory (its
 * size is bounded by the caller), and an encoder. Anything that does not follow the grammar is refused with a
 * `MultipartError` saying what is wrong, never guessed at: lines end with CRLF, every part has a
 * `Content-Disposition: form-data; name="…"` header, and the body ends with the closing delimiter.
 */
import { randomBytes } from 'node:crypto';
import { HyperfoilError } from './errors.js';

export class MultipartError extends HyperfoilError {
  constructor(message: string) {
    super('MALFORMED_MULTIPART', `malformed multipart/form-data body: ${message}`);
  }
}

export interface MultipartPart {
  /** The form field name (`name=` of Content-Disposition). */
  readonly name: string;
  /** The file name (`filename=`, or the decoded `filename*=`), when the part is a file. */
  readonly filename?: string;
  readonly contentType?: string;
  /** Every header of the part, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Buffer;
}

export interface MultipartLimits {
  /** At most this many parts (default 1000). */
  readonly maxParts?: number;
  /** The header block of one part (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** The content of one part (default: unlimited; the body size is the caller's limit). */
  readonly maxPartBytes?: number;
}

const DEFAULT_MAX_PARTS = 1000;
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
/** RFC 2046 `bchars`: a boundary is 1–70 of these and does not end with a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

interface HeaderValue {
  readonly value: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Splits `type; key=value; key="quoted \" value"` into the leading value and its parameters (keys lower-cased).
 * Returns undefined when the syntax is broken (an unterminated quote, a parameter without `=`).
 */
function parseHeaderValue(text: string): HeaderValue | undefined {
  const params = new Map<string, string>();
  let i = text.indexOf(';');
  const value = (i < 0 ? text : text.slice(0, i)).trim();
  if (i < 0) return { value, params };
  while (i < text.length) {
    i++; // past ';'
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) break; // a trailing ';' is tolerated
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = text.slice(i, eq).trim().toLowerCase();
    if (key === '' || /[\s";]/.test(key)) return undefined;
    i = eq + 1;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    let paramValue = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < text.length) {
          paramValue += text[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          paramValue += c;
          i++;
        }
      }
      if (!closed) return undefined;
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i < text.length && text[i] !== ';') return undefined;
    } else {
      const end = text.indexOf(';', i);
      paramValue = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? text.length : end;
    }
    if (params.has(key)) return undefined;
    params.set(key, paramValue);
  }
  return { value, params };
}

/** RFC 8187 `charset'language'percent-encoded` (as in `filename*=UTF-8''na%C3%AFve.csv`). */
function decodeExtValue(text: string): string | undefined {
  const match = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'[A-Za-z0-9-]*'(.*)$/.exec(text);
  if (!match) return undefined;
  const charset = match[1]!.toLowerCase();
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') return undefined;
  const bytes: number[] = [];
  const encoded = match[2]!;
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c === 0x25) {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString(charset === 'utf-8' ? 'utf8' : 'latin1');
}

function boundaryOf(contentType: string | undefined, expected: string): string {
  const parsed = contentType === undefined ? undefined : parseHeaderValue(contentType);
  if (!parsed || parsed.value.toLowerCase() !== expected) {
    throw new MultipartError(`expected Content-Type ${expected}, got ${contentType === undefined ? 'none' : `\`${contentType}\``}`);
  }
  const boundary = parsed.params.get('boundary');
  if (boundary === undefined) throw new MultipartError(`the ${expected} Content-Type has no \`boundary=\` parameter`);
  if (!BOUNDARY.test(boundary)) {
    throw new MultipartError('the boundary must be 1 to 70 letters, digits or \'()+_,-./:=? and not end with a space');
  }
  return boundary;
}

/** The boundary of a `multipart/form-data` Content-Type; throws MultipartError when there is none or it is invalid. */
export function multipartBoundary(contentType: string | undefined): string {
  return boundaryOf(contentType, 'multipart/form-data');
}

function parseHeaders(block: string, where: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (block === '') return headers;
  for (const line of block.split('\r\n')) {
    if (line.includes('\n') || line.includes('\r')) throw new MultipartError(`${where}: header lines must end with CRLF`);
    if (line.startsWith(' ') || line.startsWith('\t')) throw new MultipartError(`${where}: folded header lines are not allowed`);
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`${where}: \`${line.slice(0, 60)}\` is not a \`Name: value\` header`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) throw new MultipartError(`${where}: invalid header name \`${name}\``);
    if (Object.hasOwn(headers, name)) throw new MultipartError(`${where}: header \`${name}\` appears twice`);
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

interface RawPart {
  readonly headers: Record<string, string>;
  readonly data: Buffer;
  /** `part 3` or `part 3.2` (the second file inside part 3), for messages. */
  readonly where: string;
}

interface Budget {
  parts: number;
  readonly maxParts: number;
  readonly maxHeaderBytes: number;
  readonly maxPartBytes: number;
}

/** Splits a multipart body at its boundary (RFC 2046 §5.1.1) into header blocks and contents. */
function splitBody(body: Buffer, boundary: string, budget: Budget, prefix: string): RawPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');

  // The first boundary either opens the body or follows a preamble and a CRLF.
  let at: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    at = dashBoundary.length;
  } else {
    const found = body.indexOf(delimiter);
    if (found < 0) throw new MultipartError(`${prefix === '' ? 'the' : `in part ${prefix}, the`} boundary given in the Content-Type never appears in the body`);
    at = found + delimiter.length;
  }

  const parts: RawPart[] = [];
  for (;;) {
    // After a delimiter: `--` closes the body; otherwise optional whitespace and a CRLF open the next part.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // the epilogue after it is ignored
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) {
      throw new MultipartError(at >= body.length
        ? `${prefix === '' ? 'the body' : `part ${prefix}`} ends without the closing boundary (\`--boundary--\`)`
        : 'a boundary line must end with CRLF');
    }
    at += 2;
    const where = `part ${prefix}${parts.length + 1}`;
    if (++budget.parts > budget.maxParts) throw new MultipartError(`more than ${budget.maxParts} parts`);

    let headerBlock: string;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) {
      headerBlock = '';
      at += 2;
    } else {
      const headerEnd = body.indexOf(HEADER_END, at);
      if (headerEnd < 0 || headerEnd - at > budget.maxHeaderBytes) {
        throw new MultipartError(headerEnd < 0
          ? `${where}: the headers are not followed by an empty line`
          : `${where}: headers longer than ${budget.maxHeaderBytes} bytes`);
      }
      headerBlock = body.subarray(at, headerEnd).toString('utf8');
      at = headerEnd + HEADER_END.length;
    }
    const headers = parseHeaders(headerBlock, where);

    const end = body.indexOf(delimiter, at);
    if (end < 0) throw new MultipartError(`${where} is not followed by a boundary: the body is truncated`);
    if (end - at > budget.maxPartBytes) throw new MultipartError(`${where} is larger than ${budget.maxPartBytes} bytes`);
    parts.push({ headers, data: body.subarray(at, end), where });
    at = end + delimiter.length;
  }
}

/**
 * A form-data part; inside a `multipart/mixed` field (`fieldName` given) the disposition may also be `attachment`
 * or `file` and the name is the field's.
 */
function toPart({ headers, data, where }: RawPart, fieldName?: string): MultipartPart {
  const disposition = headers['content-disposition'];
  if (disposition === undefined) throw new MultipartError(`${where} has no Content-Disposition header`);
  const parsed = parseHeaderValue(disposition);
  if (!parsed) throw new MultipartError(`${where}: cannot read Content-Disposition \`${disposition.slice(0, 100)}\``);
  const type = parsed.value.toLowerCase();
  if (type !== 'form-data' && (fieldName === undefined || (type !== 'attachment' && type !== 'file' && type !== 'inline'))) {
    throw new MultipartError(`${where}: Content-Disposition must be \`form-data\`, not \`${parsed.value}\``);
  }
  const name = fieldName ?? parsed.params.get('name');
  if (name === undefined || name === '') throw new MultipartError(`${where}: Content-Disposition has no \`name=\``);
  const extended = parsed.params.get('filename*');
  let filename = parsed.params.get('filename');
  if (extended !== undefined) {
    filename = decodeExtValue(extended);
    if (filename === undefined) throw new MultipartError(`${where}: cannot decode \`filename*=${extended.slice(0, 60)}\``);
  }
  const encoding = headers['content-transfer-encoding']?.toLowerCase();
  if (encoding !== undefined && encoding !== 'binary' && encoding !== '8bit' && encoding !== '7bit') {
    throw new MultipartError(`${where}: Content-Transfer-Encoding \`${encoding}\` is not supported (send the bytes as they are)`);
  }
  const contentType = headers['content-type'];
  return {
    name,
    ...(filename !== undefined ? { filename } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    headers,
    data,
  };
}

/**
 * Parses a complete multipart/form-data body. A field sent as `multipart/mixed` (RFC 2388's way of sending several
 * files under one name, which Netty-based clients such as Hyperfoil's CLI use) is flattened into one part per file,
 * each with the field's name. Throws MultipartError for anything malformed or over the limits.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined, limits: MultipartLimits = {}): MultipartPart[] {
  const budget: Budget = {
    parts: 0,
    maxParts: limits.maxParts ?? DEFAULT_MAX_PARTS,
    maxHeaderBytes: limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    maxPartBytes: limits.maxPartBytes ?? Number.POSITIVE_INFINITY,
  };
  const parts: MultipartPart[] = [];
  splitBody(body, multipartBoundary(contentType), budget, '').forEach((raw, i) => {
    const part = toPart(raw);
    const type = part.contentType === undefined ? undefined : parseHeaderValue(part.contentType)?.value.toLowerCase();
    if (type !== 'multipart/mixed') {
      parts.push(part);
      return;
    }
    budget.parts--; // the container is not a part of its own
    for (const inner of splitBody(part.data, boundaryOf(part.contentType, 'multipart/mixed'), budget, `${i + 1}.`)) {
      parts.push(toPart(inner, part.name));
    }
  });
  return parts;
}

export interface OutgoingPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/** Quotes a Content-Disposition parameter the way browsers do: `"` and line breaks percent-encoded. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** Encodes parts as a multipart/form-data body with a random boundary that does not occur in any part. */
export function encodeMultipart(parts: readonly OutgoingPart[]): { contentType: string; body: Buffer } {
  let boundary: string;
  do {
    boundary = `----hyperfoil-${randomBytes(12).toString('hex')}`;
  } while (parts.some((part) => part.data.includes(boundary)));
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quote(part.name)}`;
    if (part.filename !== undefined) head += `; filename=${quote(part.filename)}`;
    head += `\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), part.data, CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
