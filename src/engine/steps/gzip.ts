/**
 * `gzipInflator`: inflates gzip data before passing it to its processors. With `encodingVar`, only when that
 * variable holds `gzip` (any case; set by a header handler from Content-Encoding), otherwise the data passes
 * unchanged. The compressed parts are joined until the last part; each gzip member (concatenated streams) then
 * reaches the processors as one item. Data that is not valid gzip marks the request invalid (through the HTTP
 * layer's `markRequestInvalid`) and nothing is passed on.
 */
import { inflateRawSync } from 'node:zlib';
import type { GzipInflatorConfig, StepSpec } from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Action, Processor } from '../step.js';
import type { ReadAccess } from '../vars.js';
import { asSpecList, chainOf } from './chains.js';
import { ByteAccumulator } from './data-format.js';
import { valueToString } from '../pattern.js';
import { workerDataOf } from './worker-data.js';
import type { WorkerData } from './worker-data.js';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Offset of the deflate data of the member starting at `pos`, or -1 when the header is not gzip's. */
function memberDataOffset(data: Buffer, pos: number, end: number): number {
  if (end - pos < 10 || data[pos] !== 0x1f || data[pos + 1] !== 0x8b || data[pos + 2] !== 8) return -1;
  const flags = data[pos + 3]!;
  let at = pos + 10;
  if ((flags & FEXTRA) !== 0) {
    if (at + 2 > end) return -1;
    at += 2 + data.readUInt16LE(at);
  }
  if ((flags & FNAME) !== 0) {
    while (at < end && data[at] !== 0) at++;
    at++;
  }
  if ((flags & FCOMMENT) !== 0) {
    while (at < end && data[at] !== 0) at++;
    at++;
  }
  if ((flags & FHCRC) !== 0) at += 2;
  return at <= end ? at : -1;
}

/** Inflates every member of `data[0, length)`; null when the data is not valid gzip. */
export function inflateMembers(data: Buffer, length: number): Buffer[] | null {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < length) {
    const start = memberDataOffset(data, pos, length);
    if (start < 0) return null;
    let result: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      result = inflateRawSync(data.subarray(start, length), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    } catch {
      return null;
    }
    out.push(result.buffer);
    pos = start + result.engine.bytesWritten + 8; // CRC32 and ISIZE
    if (pos > length) return null;
  }
  return out;
}

const UNDECIDED = 0;
const PASS_THROUGH = 1;
const INFLATE = 2;
const INVALID = 3;

class GzipState {
  mode = UNDECIDED;
  readonly compressed = new ByteAccumulator();

  reset(): void {
    this.mode = UNDECIDED;
    this.compressed.clear();
  }
}

class GzipInflatorProcessor implements Processor {
  constructor(
    private readonly key: StateKey<GzipState>,
    private readonly encoding: ReadAccess | null,
    private readonly downstream: Processor,
    private readonly invalid: Action | null,
    private readonly data: WorkerData,
    private readonly at: string,
  ) {}

  before(session: Session): void {
    session.state(this.key).reset();
    this.downstream.before(session);
  }

  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void {
    const state = session.state(this.key);
    if (state.mode === UNDECIDED) state.mode = this.decide(session);
    if (state.mode === PASS_THROUGH) {
      this.downstream.process(session, data, offset, length, isLastPart);
      return;
    }
    if (state.mode !== INFLATE) return;
    state.compressed.append(data, offset, length);
    if (isLastPart) this.inflate(session, state);
  }

  after(session: Session): void {
    const state = session.state(this.key);
    if (state.mode === INFLATE && !state.compressed.isEmpty) this.inflate(session, state);
    state.reset();
    this.downstream.after(session);
  }

  private decide(session: Session): number {
    const encoding = this.encoding;
    if (encoding === null) return INFLATE;
    if (!encoding.isSet(session)) return PASS_THROUGH;
    return valueToString(encoding.getObject(session)).trim().toLowerCase() === 'gzip' ? INFLATE : PASS_THROUGH;
  }

  private inflate(session: Session, state: GzipState): void {
    const members = inflateMembers(state.compressed.buffer, state.compressed.length);
    state.compressed.clear();
    if (members === null) {
      state.mode = INVALID;
      if (this.invalid !== null) this.invalid.run(session);
      else this.data.warnOnce(`${this.at}:invalid`, `${this.at}: gzipInflator: the data is not valid gzip; it is dropped`);
      return;
    }
    for (const member of members) this.downstream.process(session, member, 0, member.length, true);
  }
}

/** The HTTP layer's `markRequestInvalid`, when the engine has it (it is an HTTP action). */
function markInvalidAction(cx: CompileContext): Action | null {
  const spec = { name: 'markRequestInvalid', config: {}, at: cx.at } as unknown as StepSpec;
  try {
    return cx.actions([spec])[0] ?? null;
  } catch {
    return null;
  }
}

export function registerGzipInflator(registry: EngineRegistry): void {
  registry.registerProcessor<GzipInflatorConfig>('gzipInflator', (config, cx) => new GzipInflatorProcessor(
    cx.reserveState({ create: () => new GzipState(), reset: (s) => s.reset(), perSequenceInstance: true }),
    config.encodingVar ? cx.readVar(config.encodingVar) : null,
    chainOf(cx.processors(asSpecList(config.processors))),
    markInvalidAction(cx),
    workerDataOf(cx),
    cx.at,
  ));
}
