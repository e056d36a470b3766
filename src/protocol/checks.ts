/**
 * Small composable checks for values received from a peer. Each check either returns a fresh, well-typed copy of
 * the value (objects are rebuilt from their known fields only, so nothing unexpected travels further) or throws a
 * ProtocolError naming the path of the first bad value (`items[3].snapshot`).
 */
import { HyperfoilError } from '../lib/index.js';

export class ProtocolError extends HyperfoilError {
  constructor(message: string) {
    super('PROTOCOL', message);
  }
}

export type Check<T> = (value: unknown, path: string) => T;

export function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function fail(path: string, problem: string): never {
  throw new ProtocolError(`field \`${path}\` ${problem}`);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

function expectType(value: unknown, path: string, type: string): void {
  if (typeOf(value) !== type) fail(path, `must be ${article(type)} ${type}, got ${typeOf(value)}`);
}

/** With `name`: not empty and without control characters (it ends up in log lines, CSV rows and file names). */
export function str(maxChars: number, options: { name?: boolean } = {}): Check<string> {
  return (value, path) => {
    expectType(value, path, 'string');
    const text = value as string;
    if (text.length > maxChars) fail(path, `is ${text.length} characters long, more than the ${maxChars} allowed`);
    if (options.name && text.length === 0) fail(path, 'must not be empty');
    // eslint-disable-next-line no-control-regex
    if (options.name && /[\u0000-\u001f\u007f]/.test(text)) fail(path, 'must not contain control characters');
    return text;
  };
}

/** A finite number in [min, max]; with `integer`, a whole number too. */
export function num(min: number, max: number, options: { integer?: boolean } = {}): Check<number> {
  return (value, path) => {
    expectType(value, path, 'number');
    const n = value as number;
    if (!Number.isFinite(n)) fail(path, 'must be a finite number');
    if (options.integer && !Number.isInteger(n)) fail(path, `must be a whole number, got ${n}`);
    if (n < min || n > max) fail(path, `must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

export function int(min: number, max: number): Check<number> {
  return num(min, max, { integer: true });
}

export const bool: Check<boolean> = (value, path) => {
  expectType(value, path, 'boolean');
  return value as boolean;
};

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      fail(path, `must be one of ${values.join(', ')}, got ${typeof value === 'string' ? `\`${value.slice(0, 40)}\`` : typeOf(value)}`);
    }
    return value as T;
  };
}

export function arrayOf<T>(item: Check<T>, maxItems: number): Check<T[]> {
  return (value, path) => {
    expectType(value, path, 'array');
    const list = value as unknown[];
    if (list.length > maxItems) fail(path, `has ${list.length} items, more than the ${maxItems} allowed`);
    return list.map((element, i) => item(element, `${path}[${i}]`));
  };
}

/** A JSON object used as a map: keys checked by `key`, values by `value`, at most `maxEntries` of them. */
export function recordOf<T>(key: Check<string>, value: Check<T>, maxEntries: number): Check<Record<string, T>> {
  return (input, path) => {
    expectType(input, path, 'object');
    const entries = Object.entries(input as Record<string, unknown>);
    if (entries.length > maxEntries) fail(path, `has ${entries.length} entries, more than the ${maxEntries} allowed`);
    // fromEntries defines own properties, so a key such as `__proto__` stays a plain key.
    return Object.fromEntries(entries.map(([k, v]) => [key(k, `${path} key`), value(v, `${path}.${k.slice(0, 40)}`)]));
  };
}

type Fields = Readonly<Record<string, Check<unknown>>>;
type Built<F extends Fields> = { -readonly [K in keyof F]: F[K] extends Check<infer T> ? T : never };

/** An object with exactly these fields checked (optional ones may be absent); other fields are dropped. */
export function objectOf<F extends Fields>(fields: F, optional: readonly (keyof F)[] = []): Check<Built<F>> {
  return (input, path) => {
    expectType(input, path, 'object');
    const source = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [field, check] of Object.entries(fields)) {
      const value = Object.hasOwn(source, field) ? source[field] : undefined;
      if (value === undefined && optional.includes(field)) continue;
      out[field] = check(value, path ? `${path}.${field}` : field);
    }
    return out as Built<F>;
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 text of at most `maxChars` characters, decoded; `validate` checks what the bytes mean. */
export function base64(maxChars: number, validate?: (bytes: Buffer) => void): Check<string> {
  const text = str(maxChars);
  return (value, path) => {
    const encoded = text(value, path);
    if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) fail(path, 'is not base64');
    if (validate) {
      try {
        validate(Buffer.from(encoded, 'base64'));
      } catch (error) {
        fail(path, `is not valid: ${(error as Error).message}`);
      }
    }
    return encoded;
  };
}
