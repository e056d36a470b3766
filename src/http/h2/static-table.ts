// The HPACK static table (RFC 7541 Appendix A): index 1..61.

export const STATIC_TABLE: ReadonlyArray<readonly [name: string, value: string]> = [
  ['', ''], // index 0 is not used
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

export const STATIC_TABLE_LENGTH = 61;

const nameIndex = new Map<string, number>();
const pairIndex = new Map<string, number>();
for (let i = STATIC_TABLE_LENGTH; i >= 1; i--) {
  const [name, value] = STATIC_TABLE[i]!;
  nameIndex.set(name, i);
  if (value !== '') pairIndex.set(`${name}\0${value}`, i);
}

/** Lowest static index whose name is `name`, or 0. */
export function staticNameIndex(name: string): number {
  return nameIndex.get(name) ?? 0;
}

/** Static index of the exact pair, or 0. */
export function staticPairIndex(name: string, value: string): number {
  return pairIndex.get(`${name}\0${value}`) ?? 0;
}
