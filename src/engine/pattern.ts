/**
 * Compiled patterns (`Hello ${name}`, `${urlencode:q}`, `${%05d:n}`, `${replace/a/b/g:s}`): variable names are
 * resolved to slots once, literal parts are pre-encoded, and rendering writes either a string or bytes into a
 * caller's Buffer (latin1 for request heads, utf8 for bodies).
 */
import { EngineCompileError } from './errors.js';
import type { Pattern, PatternFormat, VarRef } from '../config/model.js';
import { compileIntFormat, compileReplace, formatInt, urlEncodeJava } from './pattern-format.js';
import type { IntFormat } from './pattern-format.js';
import { SessionFailure } from './errors.js';
import type { ReadAccess, VarHolder } from './vars.js';

export type PatternEncoding = 'latin1' | 'utf8';

export interface CompiledPattern {
  readonly source: string;
  /** No variables: `constant` is the whole text. */
  readonly isConstant: boolean;
  readonly constant: string;
  render(session: VarHolder): string;
  /**
   * Writes the rendered text into `target` from `offset`; returns the offset after it, or -1 when it does not fit
   * (the bytes from `offset` on are then unspecified).
   */
  write(session: VarHolder, target: Buffer, offset: number, encoding: PatternEncoding): number;
}

/** Converts a variable's value to text as Hyperfoil does: bytes as UTF-8, ints in decimal, null as `null`. */
export function valueToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (value === null || value === undefined) return 'null';
  return String(value);
}

abstract class Piece {
  abstract render(session: VarHolder): string;
}

class LiteralPiece extends Piece {
  readonly latin1: Buffer;
  readonly utf8: Buffer;

  constructor(readonly text: string) {
    super();
    this.latin1 = Buffer.from(text, 'latin1');
    this.utf8 = Buffer.from(text, 'utf8');
  }

  render(): string {
    return this.text;
  }
}

class PlainPiece extends Piece {
  constructor(readonly access: ReadAccess) {
    super();
  }

  render(session: VarHolder): string {
    return valueToString(this.access.getObject(session));
  }
}

class UrlEncodePiece extends Piece {
  constructor(readonly access: ReadAccess) {
    super();
  }

  render(session: VarHolder): string {
    return urlEncodeJava(valueToString(this.access.getObject(session)));
  }
}

class Base64EncodePiece extends Piece {
  constructor(readonly access: ReadAccess) {
    super();
  }

  render(session: VarHolder): string {
    const value = this.access.getObject(session);
    const bytes = value instanceof Uint8Array ? value : Buffer.from(valueToString(value), 'utf8');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
}

class Base64DecodePiece extends Piece {
  constructor(readonly access: ReadAccess) {
    super();
  }

  render(session: VarHolder): string {
    const value = this.access.getObject(session);
    const text = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : valueToString(value);
    return Buffer.from(text, 'base64').toString('utf8');
  }
}

class IntFormatPiece extends Piece {
  constructor(readonly access: ReadAccess, readonly format: IntFormat, readonly spec: string) {
    super();
  }

  render(session: VarHolder): string {
    const value = this.access.getObject(session);
    if (typeof value !== 'number') {
      throw new SessionFailure(`Variable ${this.access.name} does not hold an integer, required by format ${this.spec}`);
    }
    return formatInt(value, this.format);
  }
}

class ReplacePiece extends Piece {
  constructor(readonly access: ReadAccess, readonly regex: RegExp, readonly replacement: string) {
    super();
  }

  render(session: VarHolder): string {
    return valueToString(this.access.getObject(session)).replace(this.regex, this.replacement);
  }
}

class PatternImpl implements CompiledPattern {
  readonly isConstant: boolean;
  readonly constant: string;

  constructor(readonly source: string, private readonly pieces: readonly Piece[]) {
    this.isConstant = pieces.every((p) => p instanceof LiteralPiece);
    this.constant = this.isConstant ? pieces.map((p) => (p as LiteralPiece).text).join('') : '';
  }

  render(session: VarHolder): string {
    if (this.isConstant) return this.constant;
    let out = '';
    const pieces = this.pieces;
    for (let i = 0; i < pieces.length; i++) out += pieces[i]!.render(session);
    return out;
  }

  write(session: VarHolder, target: Buffer, offset: number, encoding: PatternEncoding): number {
    let at = offset;
    const pieces = this.pieces;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (piece instanceof LiteralPiece) {
        const bytes = encoding === 'latin1' ? piece.latin1 : piece.utf8;
        if (at + bytes.length > target.length) return -1;
        bytes.copy(target, at);
        at += bytes.length;
      } else {
        const text = piece.render(session);
        const length = encoding === 'latin1' ? text.length : Buffer.byteLength(text, 'utf8');
        if (at + length > target.length) return -1;
        at += target.write(text, at, length, encoding);
      }
    }
    return at;
  }
}

/** Compiles a pattern; `resolve` turns each variable reference into an accessor. Throws EngineCompileError. */
export function compilePattern(pattern: Pattern, resolve: (ref: VarRef) => ReadAccess, at = ''): CompiledPattern {
  const pieces: Piece[] = [];
  let literal = '';
  for (const part of pattern.parts) {
    if (part.kind === 'literal') {
      literal += part.text;
      continue;
    }
    if (literal !== '') {
      pieces.push(new LiteralPiece(literal));
      literal = '';
    }
    pieces.push(compilePiece(resolve(part.ref), part.format, at));
  }
  if (literal !== '' || pieces.length === 0) pieces.push(new LiteralPiece(literal));
  return new PatternImpl(pattern.source, pieces);
}

function compilePiece(access: ReadAccess, format: PatternFormat, at: string): Piece {
  switch (format.kind) {
    case 'plain': return new PlainPiece(access);
    case 'urlencode': return new UrlEncodePiece(access);
    case 'base64encode': return new Base64EncodePiece(access);
    case 'base64decode': return new Base64DecodePiece(access);
    case 'int': {
      const compiled = compileIntFormat(format.flags, format.width, format.conversion, at);
      return new IntFormatPiece(access, compiled, `%${format.flags}${format.width > 0 ? format.width : ''}${format.conversion}`);
    }
    case 'replace': {
      const compiled = compileReplace(format.regex, format.replacement, format.global, at);
      return new ReplacePiece(access, compiled.regex, compiled.replacement);
    }
    default: {
      const never: never = format;
      throw new EngineCompileError(`unknown pattern format ${JSON.stringify(never)}`, at);
    }
  }
}
