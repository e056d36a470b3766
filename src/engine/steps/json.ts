/**
 * `json`, as a processor (on the bytes it is given, in parts) and as a step (on the text or bytes in `fromVar`).
 *
 * The processor buffers the parts of a document until its last part (a document in one part is scanned in place).
 * Without `delete`/`replace`, every selected value goes to the processors (`processor` list, then the `toArray`
 * and `toVar` shortcuts) as one item; with `unquote` (the default) a string value arrives without its quotes and
 * with its escapes decoded. With `delete`/`replace`, the processors receive the whole modified document instead.
 * `before`/`after` of the nested processors bracket the document (once per response, or per step invocation).
 *
 * Malformed JSON ends the scan: values selected before the fault have been delivered; a warning is logged once.
 */
import type { DataFormat, JsonProcessorConfig, JsonStepConfig, JsonTransformer } from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import type { CompiledPattern } from '../pattern.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Action, Processor, Step } from '../step.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import { ActionChain, asSpecList, chainOf } from './chains.js';
import type { ByteAccumulator } from './data-format.js';
import { bytesOfValue, convertBytes } from './data-format.js';
import { reserveAccumulator } from './defrag.js';
import { hasEscapes, isStringValue, JsonScanner, unquote } from './json-scanner.js';
import type { MatchSink, ValueEditor } from './json-scanner.js';
import { compileArray, compileStore } from './processors.js';
import { workerDataOf } from './worker-data.js';
import type { WorkerData } from './worker-data.js';

/** Turns a selected value (raw JSON text) into its replacement. */
interface Transformer {
  transform(session: Session, data: Buffer, start: number, end: number): Buffer;
}

class PatternTransformer implements Transformer {
  constructor(private readonly pattern: CompiledPattern) {}

  transform(session: Session): Buffer {
    return Buffer.from(this.pattern.render(session), 'utf8');
  }
}

/** Stores the (unquoted) value in a variable, runs the actions, then renders the pattern. */
class ActionsTransformer implements Transformer {
  constructor(
    private readonly to: WriteAccess,
    private readonly format: DataFormat,
    private readonly unquote: boolean,
    private readonly actions: Action,
    private readonly pattern: CompiledPattern,
  ) {}

  transform(session: Session, data: Buffer, start: number, end: number): Buffer {
    if (this.unquote && isStringValue(data, start, end)) {
      if (hasEscapes(data, start, end)) {
        const text = unquote(data, start, end);
        this.to.setObject(session, this.format === 'STRING' ? text : Buffer.from(text, 'utf8'));
      } else {
        this.to.setObject(session, convertBytes(this.format, data, start + 1, end - start - 2));
      }
    } else {
      this.to.setObject(session, convertBytes(this.format, data, start, end - start));
    }
    this.actions.run(session);
    return Buffer.from(this.pattern.render(session), 'utf8');
  }
}

function compileTransformer(cx: CompileContext, replace: JsonTransformer, unquoteValues: boolean): Transformer {
  if (replace.kind === 'pattern') return new PatternTransformer(cx.pattern(replace.pattern));
  return new ActionsTransformer(
    cx.writeVar(replace.var, 'object'), replace.format, unquoteValues, new ActionChain(cx.actions(replace.actions)), cx.pattern(replace.pattern),
  );
}

/** Scans one document and delivers what the query selects; shared by the processor and the step. */
class JsonQueryRunner implements MatchSink, ValueEditor {
  private session: Session | null = null;

  constructor(
    private readonly scanner: JsonScanner,
    private readonly unquoteValues: boolean,
    private readonly deleteSelected: boolean,
    private readonly transformer: Transformer | null,
    readonly downstream: Processor,
    private readonly data: WorkerData,
    private readonly at: string,
  ) {}

  run(session: Session, data: Buffer, start: number, end: number): void {
    const previous = this.session;
    this.session = session;
    try {
      if (!this.deleteSelected && this.transformer === null) {
        if (!this.scanner.select(data, start, end, this)) this.malformed(data, start, end);
        return;
      }
      const modified = this.scanner.rewrite(data, start, end, this);
      if (modified === null) this.malformed(data, start, end);
      else this.downstream.process(session, modified, 0, modified.length, true);
    } finally {
      this.session = previous;
    }
  }

  match(data: Buffer, start: number, end: number): void {
    const session = this.session!;
    if (this.unquoteValues && isStringValue(data, start, end)) {
      if (hasEscapes(data, start, end)) {
        const decoded = Buffer.from(unquote(data, start, end), 'utf8');
        this.downstream.process(session, decoded, 0, decoded.length, true);
      } else {
        this.downstream.process(session, data, start + 1, end - start - 2, true);
      }
      return;
    }
    this.downstream.process(session, data, start, end - start, true);
  }

  edit(data: Buffer, start: number, end: number): Buffer | null {
    if (this.deleteSelected) return null;
    return this.transformer!.transform(this.session!, data, start, end);
  }

  private malformed(data: Buffer, start: number, end: number): void {
    const sample = data.toString('utf8', start, Math.min(end, start + 60)).replace(/\s+/g, ' ');
    this.data.warnOnce(`${this.at}:malformed`, `${this.at}: json: malformed JSON (it starts with \`${sample}\`); values after the fault are not selected`);
  }
}

function compileRunner(config: JsonProcessorConfig, cx: CompileContext): JsonQueryRunner {
  const downstream: Processor[] = [...cx.processors(asSpecList(config.processors))];
  if (config.toArray) downstream.push(compileArray(cx, config.toArray.name, config.toArray.maxSize, config.format, false));
  if (config.toVar) downstream.push(compileStore({ toVar: config.toVar, format: config.format }, cx));
  const transformer = config.replace ? compileTransformer(cx, config.replace, config.unquote) : null;
  return new JsonQueryRunner(
    new JsonScanner(config.selectors), config.unquote, config.delete, transformer, chainOf(downstream), workerDataOf(cx), cx.at,
  );
}

class JsonProcessor implements Processor {
  constructor(private readonly runner: JsonQueryRunner, private readonly accumulator: StateKey<ByteAccumulator>) {}

  before(session: Session): void {
    session.state(this.accumulator).clear();
    this.runner.downstream.before(session);
  }

  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void {
    const accumulator = session.state(this.accumulator);
    if (isLastPart && accumulator.isEmpty) {
      this.runner.run(session, data, offset, offset + length);
      return;
    }
    accumulator.append(data, offset, length);
    if (isLastPart) this.flush(session, accumulator);
  }

  after(session: Session): void {
    const accumulator = session.state(this.accumulator);
    if (!accumulator.isEmpty) this.flush(session, accumulator);
    this.runner.downstream.after(session);
  }

  private flush(session: Session, accumulator: ByteAccumulator): void {
    try {
      this.runner.run(session, accumulator.buffer, 0, accumulator.length);
    } finally {
      accumulator.clear();
    }
  }
}

class JsonStep implements Step {
  constructor(private readonly from: ReadAccess, private readonly runner: JsonQueryRunner, private readonly text: StateKey<ByteAccumulator>) {}

  invoke(session: Session): boolean {
    const value = this.from.getObject(session);
    const runner = this.runner;
    runner.downstream.before(session);
    if (value instanceof Uint8Array) {
      const bytes = bytesOfValue(value);
      runner.run(session, bytes, 0, bytes.length);
    } else {
      const text = session.state(this.text);
      text.setText(typeof value === 'string' ? value : String(value));
      try {
        runner.run(session, text.buffer, 0, text.length);
      } finally {
        text.clear();
      }
    }
    runner.downstream.after(session);
    return true;
  }
}

export function registerJson(registry: EngineRegistry): void {
  registry.registerProcessor<JsonProcessorConfig>('json', (config, cx) => new JsonProcessor(compileRunner(config, cx), reserveAccumulator(cx)));
  registry.registerStep<JsonStepConfig>('json', (config, cx) => new JsonStep(cx.readVar(config.fromVar), compileRunner(config, cx), reserveAccumulator(cx)));
}
