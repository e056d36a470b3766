/**
 * The `parseHtml` processor: scans an HTML body as it arrives and hands attribute values to handlers.
 *   onTagAttribute      values of `attribute` in `<tag>` go to processors, and/or the first one to `toVar`, or all
 *                       (up to the array's size) to `toArray: name[size]`, as text (STRING) or bytes
 *   onEmbeddedResource  the URLs of img/link/embed/frame/iframe/object/script go to processors; with
 *                       `ignoreExternal` (default) absolute URLs of hosts not in `http` are skipped
 *   fetchResource       the URLs (resolved against the page's URL) are queued, at most `maxResources`, into the
 *                       sequence the config layer generated for it (src/config/fetch-resources.ts), run by the
 *                       `queue` processor `concurrency` at a time, with `onCompletion` once all are fetched
 */
import type { DataFormat, EmbeddedResourceConfig, ParseHtmlConfig, ProcessorSpec, QueueConfig, TagAttributeConfig } from '../../config/steps/index.js';
import type { CompileContext, Processor, Session, StateKey, WriteAccess } from '../../engine/index.js';
import { ObjectArrayVar } from '../../engine/index.js';
import { currentRequest } from './current-request.js';
import { HtmlScanner, HtmlScanState } from './html-scanner.js';
import type { HtmlListener, TagWanted } from './html-scanner.js';
import { TargetRouter } from './routing.js';
import { asSpecs } from './specs.js';

/** The tags and attributes of embedded resources (as Hyperfoil: not `<source>`/`<track>`, a browser picks one). */
const EMBEDDED: ReadonlyArray<readonly [string, string]> = [
  ['img', 'src'], ['link', 'href'], ['embed', 'src'], ['frame', 'src'], ['iframe', 'src'], ['object', 'data'], ['script', 'src'],
];

interface ValueSink {
  before(session: Session, state: ParseHtmlState): void;
  accept(session: Session, state: ParseHtmlState, value: Buffer, length: number): void;
  after(session: Session): void;
}

class ParseHtmlState {
  readonly scan = new HtmlScanState();
  /** Per sink: values stored so far (toVar: 0/1; toArray: next index). */
  readonly counts: Int32Array;

  constructor(sinks: number) {
    this.counts = new Int32Array(sinks);
  }

  reset(): void {
    this.scan.reset();
    this.counts.fill(0);
  }
}

function convert(value: Buffer, length: number, format: DataFormat): string | Buffer {
  return format === 'STRING' ? value.toString('utf8', 0, length) : Buffer.from(value.subarray(0, length));
}

class TagAttributeSink implements ValueSink {
  private readonly toVar: WriteAccess | null;
  private readonly toArray: WriteAccess | null;
  private readonly arraySize: number;

  constructor(private readonly config: TagAttributeConfig, private readonly processors: readonly Processor[], private readonly index: number, cx: CompileContext) {
    this.toVar = config.toVar !== undefined ? cx.writeVar(config.toVar, 'object') : null;
    this.toArray = config.toArray !== undefined ? cx.writeVar(config.toArray.name, 'object') : null;
    this.arraySize = config.toArray?.maxSize ?? 0;
  }

  before(session: Session): void {
    const toArray = this.toArray;
    if (toArray !== null) {
      const existing = toArray.isSet(session) ? toArray.getObject(session) : undefined;
      if (existing instanceof ObjectArrayVar && existing.length === this.arraySize) existing.reset();
      else toArray.setObject(session, new ObjectArrayVar(this.arraySize));
    }
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.before(session);
  }

  accept(session: Session, state: ParseHtmlState, value: Buffer, length: number): void {
    const count = state.counts[this.index]!;
    if (this.toVar !== null && count === 0) {
      this.toVar.setObject(session, convert(value, length, this.config.format));
      state.counts[this.index] = 1;
    } else if (this.toArray !== null && count < this.arraySize) {
      const array = this.toArray.getObject(session) as ObjectArrayVar;
      array.values[count] = convert(value, length, this.config.format);
      array.set[count] = 1;
      state.counts[this.index] = count + 1;
    }
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.process(session, value, 0, length, true);
  }

  after(session: Session): void {
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.after(session);
  }
}

/**
 * Passes each resource URL on resolved against the URL of the page being parsed (relative links, `//host/…`), the
 * first `maxResources` of each page only.
 */
class AgainstPage implements Processor {
  constructor(private readonly inner: Processor, private readonly maxResources: number, private readonly key: StateKey<{ count: number }>) {}

  before(session: Session): void {
    session.state(this.key).count = 0;
    this.inner.before(session);
  }

  process(session: Session, data: Buffer, offset: number, length: number, last: boolean): void {
    const state = session.state(this.key);
    if (state.count >= this.maxResources) return;
    state.count++;
    const link = data.toString('utf8', offset, offset + length).trim();
    let url: string;
    try {
      url = new URL(link, currentRequest()?.url).href;
    } catch {
      return; // not a URL a browser would fetch either
    }
    const bytes = Buffer.from(url, 'utf8');
    this.inner.process(session, bytes, 0, bytes.length, last);
  }

  after(session: Session): void {
    this.inner.after(session);
  }
}

class EmbeddedSink implements ValueSink {
  constructor(private readonly ignoreExternal: boolean, private readonly processors: readonly Processor[], private readonly router: TargetRouter) {}

  before(session: Session): void {
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.before(session);
  }

  accept(session: Session, _state: ParseHtmlState, value: Buffer, length: number): void {
    if (length === 0) return;
    if (this.ignoreExternal && this.isExternal(value, length)) return;
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.process(session, value, 0, length, true);
  }

  after(session: Session): void {
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.after(session);
  }

  private isExternal(value: Buffer, length: number): boolean {
    // Relative URLs stay on the same server; only absolute ones (scheme or `//`) can leave it.
    const head = value.toString('latin1', 0, Math.min(length, 8)).toLowerCase();
    if (!head.startsWith('http://') && !head.startsWith('https:/') && !head.startsWith('//')) return false;
    let url = value.toString('latin1', 0, length);
    if (url.startsWith('//')) url = `http:${url}`;
    const parsed = this.router.parseUrl(url);
    return parsed === null || parsed.index < 0;
  }
}

class ParseHtmlProcessor implements Processor, HtmlListener {
  private session: Session | null = null;
  private state: ParseHtmlState | null = null;

  constructor(
    private readonly scanner: HtmlScanner,
    /** Sinks by tag, then by attribute (indices as given to the scanner). */
    private readonly sinks: ReadonlyArray<ReadonlyArray<readonly ValueSink[]>>,
    private readonly all: readonly ValueSink[],
    private readonly key: StateKey<ParseHtmlState>,
  ) {}

  before(session: Session): void {
    const state = session.state(this.key);
    state.reset();
    for (let i = 0; i < this.all.length; i++) this.all[i]!.before(session, state);
  }

  process(session: Session, data: Buffer, offset: number, length: number): void {
    this.session = session;
    this.state = session.state(this.key);
    try {
      this.scanner.scan(this.state.scan, this, data, offset, length);
    } finally {
      this.session = null;
      this.state = null;
    }
  }

  after(session: Session): void {
    for (let i = 0; i < this.all.length; i++) this.all[i]!.after(session);
  }

  onTagStart(): void {}

  onAttribute(tag: number, attribute: number, value: Buffer, length: number): void {
    const sinks = this.sinks[tag]![attribute]!;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.accept(this.session!, this.state!, value, length);
  }

  onTagEnd(): void {}
}

export function parseHtmlProcessor(config: ParseHtmlConfig, cx: CompileContext): Processor {
  const tags: string[] = [];
  const attributes: string[][] = [];
  const sinks: ValueSink[][][] = [];
  const all: ValueSink[] = [];
  const add = (tag: string, attribute: string, sink: ValueSink): void => {
    const tagLower = tag.toLowerCase();
    const attributeLower = attribute.toLowerCase();
    let t = tags.indexOf(tagLower);
    if (t < 0) {
      t = tags.push(tagLower) - 1;
      attributes.push([]);
      sinks.push([]);
    }
    let a = attributes[t]!.indexOf(attributeLower);
    if (a < 0) {
      a = attributes[t]!.push(attributeLower) - 1;
      sinks[t]!.push([]);
    }
    sinks[t]![a]!.push(sink);
  };
  config.onTagAttribute.forEach((handler) => {
    const sink = new TagAttributeSink(handler, cx.processors(asSpecs(handler.processors)), all.length, cx);
    all.push(sink);
    add(handler.tag, handler.attribute, sink);
  });
  config.onEmbeddedResource.forEach((handler: EmbeddedResourceConfig) => {
    const processors = cx.processors(asSpecs(handler.processors));
    const fetch = handler.fetchResource;
    if (fetch !== undefined) {
      const queue: QueueConfig = {
        var: fetch.urlVar, maxSize: fetch.maxResources, concurrency: fetch.concurrency, sequence: fetch.sequence,
        format: 'STRING', onCompletion: fetch.onCompletion,
      };
      const [queued] = cx.processors(asSpecs([{ name: 'queue', config: queue, at: cx.at } as ProcessorSpec]));
      const key = cx.reserveState<{ count: number }>({ create: () => ({ count: 0 }), perSequenceInstance: true });
      if (queued !== undefined) processors.push(new AgainstPage(queued, fetch.maxResources, key));
    }
    const sink = new EmbeddedSink(handler.ignoreExternal, processors, new TargetRouter(cx.http));
    all.push(sink);
    for (const [tag, attribute] of EMBEDDED) add(tag, attribute, sink);
  });
  const wanted: TagWanted[] = tags.map((tag, i) => ({ tag, attributes: attributes[i]! }));
  const sinkCount = all.length;
  const key = cx.reserveState<ParseHtmlState>({ create: () => new ParseHtmlState(sinkCount), perSequenceInstance: true });
  return new ParseHtmlProcessor(new HtmlScanner(wanted), sinks, all, key);
}
