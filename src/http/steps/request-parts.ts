/**
 * The parts of a request that may depend on session variables, compiled once: a text source (path, authority,
 * endpoint, header value: a pattern or a variable) and the body (text, pattern, variable, file, form). Constant
 * parts are rendered at compile time so the request template can pre-encode them.
 */
import type { StringSource } from '../../config/string-source.js';
import type { FormInput, HttpBody } from '../../config/steps/index.js';
import type { CompileContext, CompiledPattern, ReadAccess, Session } from '../../engine/index.js';
import { urlEncodeJava, valueToString } from '../../engine/index.js';

export interface TextSource {
  /** The text when it does not depend on the session, else null. */
  readonly constant: string | null;
  render(session: Session): string;
}

class PatternText implements TextSource {
  readonly constant: string | null;

  constructor(private readonly pattern: CompiledPattern) {
    this.constant = pattern.isConstant ? pattern.constant : null;
  }

  render(session: Session): string {
    return this.pattern.render(session);
  }
}

class VarText implements TextSource {
  readonly constant = null;

  constructor(private readonly access: ReadAccess) {}

  render(session: Session): string {
    return valueToString(this.access.getObject(session));
  }
}

export function compileText(source: StringSource, cx: CompileContext): TextSource {
  return 'pattern' in source ? new PatternText(cx.pattern(source.pattern)) : new VarText(cx.readVar(source.fromVar));
}

// -------------------------------------------------------------------------------------------------------------
// Body

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface BodySource {
  /** Bytes when the body does not depend on the session, else null. */
  readonly constant: Buffer | null;
  /** A header the body implies (forms: Content-Type), or null. */
  readonly contentType: string | null;
  render(session: Session): string | Buffer;
}

class ConstantBody implements BodySource {
  constructor(readonly constant: Buffer, readonly contentType: string | null = null) {}

  render(): Buffer {
    return this.constant;
  }
}

class PatternBody implements BodySource {
  readonly constant = null;
  readonly contentType = null;

  constructor(private readonly pattern: CompiledPattern) {}

  render(session: Session): string {
    return this.pattern.render(session);
  }
}

class VarBody implements BodySource {
  readonly constant = null;
  readonly contentType = null;

  constructor(private readonly access: ReadAccess) {}

  render(session: Session): string | Buffer {
    const value = this.access.getObject(session);
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return valueToString(value);
  }
}

interface FormField {
  /** `name=` already URL-encoded, with a leading `&` for every field but the first. */
  readonly prefix: string;
  readonly value: TextSource;
}

class FormBody implements BodySource {
  readonly constant = null;
  readonly contentType = FORM_CONTENT_TYPE;

  constructor(private readonly fields: readonly FormField[]) {}

  render(session: Session): string {
    let out = '';
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i]!;
      out += field.prefix + urlEncodeJava(field.value.render(session));
    }
    return out;
  }
}

export function compileBody(body: HttpBody | undefined, cx: CompileContext): BodySource | null {
  if (body === undefined) return null;
  switch (body.kind) {
    case 'text': return new ConstantBody(Buffer.from(body.text, 'utf8'));
    case 'pattern': {
      const pattern = cx.pattern(body.pattern);
      return pattern.isConstant ? new ConstantBody(Buffer.from(pattern.constant, 'utf8')) : new PatternBody(pattern);
    }
    case 'fromVar': return new VarBody(cx.readVar(body.fromVar));
    case 'file': return new ConstantBody(cx.file(body.file));
    case 'form': return compileForm(body.inputs, cx);
    default: {
      const never: never = body;
      return cx.error(`unknown body ${JSON.stringify(never)}`);
    }
  }
}

function compileForm(inputs: readonly FormInput[], cx: CompileContext): BodySource {
  const fields = inputs.map((input, i) => ({
    prefix: `${i === 0 ? '' : '&'}${urlEncodeJava(input.name)}=`,
    value: compileText(input.value, cx),
  }));
  if (fields.every((f) => f.value.constant !== null)) {
    const text = fields.map((f) => f.prefix + urlEncodeJava(f.value.constant!)).join('');
    return new ConstantBody(Buffer.from(text, 'latin1'), FORM_CONTENT_TYPE);
  }
  return new FormBody(fields);
}
