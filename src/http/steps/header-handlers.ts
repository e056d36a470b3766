/**
 * `handler.header`: what happens with each response header, compiled once per request step.
 *   filter            headers whose name matches (ignoring case) go to processors as their value's bytes
 *   conditional       passes headers to nested handlers while a condition on session variables holds
 *   countHeaders      counts each header name in the custom statistics `countHeaders`
 *   recordHeaderTime  records the time a header carries (ms or ns) as a response of another metric of this step
 *   logInvalid        logs the headers of requests marked invalid (done by the request context at completion)
 */
import type { HeaderHandlerSpec, RecordHeaderTimeConfig } from '../../config/steps/index.js';
import type { CompileContext, Processor } from '../../engine/index.js';
import { compileCondition, compileStringMatcher } from '../../engine/index.js';
import type { Predicate, StringMatcher } from '../../engine/index.js';
import { asSpecs } from './specs.js';
import { StepRecorders } from './request-stats.js';
import type { ResponseState } from './response-state.js';
import { STATS_RECORDERS } from './services.js';

export interface HeaderHandler {
  /** The status is known, headers come next. */
  beforeHeaders(response: ResponseState): void;
  handleHeader(response: ResponseState, name: string, value: string): void;
  afterHeaders(response: ResponseState): void;
}

class FilterHeader implements HeaderHandler {
  constructor(private readonly name: StringMatcher, private readonly processors: readonly Processor[]) {}

  beforeHeaders(response: ResponseState): void {
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.before(response.session);
  }

  handleHeader(response: ResponseState, name: string, value: string): void {
    const session = response.session;
    if (!this.name.matches(session, name)) return;
    const bytes = Buffer.from(value, 'latin1');
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.process(session, bytes, 0, bytes.length, true);
  }

  afterHeaders(response: ResponseState): void {
    for (let i = 0; i < this.processors.length; i++) this.processors[i]!.after(response.session);
  }
}

class ConditionalHeader implements HeaderHandler {
  constructor(private readonly condition: Predicate, private readonly handlers: readonly HeaderHandler[]) {}

  beforeHeaders(response: ResponseState): void {
    if (!this.condition.test(response.session)) return;
    for (let i = 0; i < this.handlers.length; i++) this.handlers[i]!.beforeHeaders(response);
  }

  handleHeader(response: ResponseState, name: string, value: string): void {
    if (!this.condition.test(response.session)) return;
    for (let i = 0; i < this.handlers.length; i++) this.handlers[i]!.handleHeader(response, name, value);
  }

  afterHeaders(response: ResponseState): void {
    if (!this.condition.test(response.session)) return;
    for (let i = 0; i < this.handlers.length; i++) this.handlers[i]!.afterHeaders(response);
  }
}

class CountHeaders implements HeaderHandler {
  beforeHeaders(): void {}

  handleHeader(response: ResponseState, name: string): void {
    response.addCustom('countHeaders', 'counters', name, 1);
  }

  afterHeaders(): void {}
}

class RecordHeaderTime implements HeaderHandler {
  private readonly header: string;
  private readonly factorNs: number;

  constructor(config: RecordHeaderTimeConfig, private readonly recorders: StepRecorders, private readonly metric: string) {
    this.header = config.header.toLowerCase();
    this.factorNs = config.unit === 'ms' ? 1e6 : 1;
  }

  beforeHeaders(): void {}

  handleHeader(response: ResponseState, name: string, value: string): void {
    if (name.length !== this.header.length || name.toLowerCase() !== this.header) return;
    const parsed = Number(value.trim());
    // Hyperfoil records nothing for values it cannot read or for negative ones.
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) return;
    response.recordOtherMetric(this.recorders, this.metric, Math.trunc(parsed) * this.factorNs);
  }

  afterHeaders(): void {}
}

const NOOP_HEADER: HeaderHandler = { beforeHeaders() {}, handleHeader() {}, afterHeaders() {} };

export interface CompiledHeaderHandlers {
  readonly handlers: HeaderHandler[];
  /** `logInvalid` appears somewhere: keep the headers to log them when the request ends invalid. */
  readonly logInvalid: boolean;
}

export function compileHeaderHandlers(specs: readonly HeaderHandlerSpec[], cx: CompileContext): CompiledHeaderHandlers {
  let logInvalid = false;
  const compileAll = (list: readonly HeaderHandlerSpec[]): HeaderHandler[] => list.map((spec) => {
    switch (spec.name) {
      // Header names are matched ignoring case (HTTP/2 sends them lower-case, HTTP/1.1 servers capitalise them).
      case 'filter': return new FilterHeader(compileStringMatcher(cx, { ...spec.config.header, caseSensitive: false }), cx.processors(asSpecs(spec.config.processors)));
      case 'conditional': return new ConditionalHeader(compileCondition(cx, spec.config.condition), compileAll(spec.config.handlers));
      case 'countHeaders': return new CountHeaders();
      case 'recordHeaderTime': {
        const recorders = new StepRecorders(cx.service(STATS_RECORDERS), cx.stepId);
        return new RecordHeaderTime(spec.config, recorders, spec.config.metric);
      }
      case 'logInvalid':
        logInvalid = true;
        return NOOP_HEADER;
      default: {
        const never: never = spec;
        return cx.error(`unknown header handler ${JSON.stringify((never as { name: string }).name)}`);
      }
    }
  });
  const handlers = compileAll(specs).filter((h) => h !== NOOP_HEADER);
  return { handlers, logInvalid };
}
