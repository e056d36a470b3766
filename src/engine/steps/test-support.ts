/**
 * Test support for the step catalogue (not used by the product): runs a scenario written in YAML — decoded by the
 * real benchmark loader, so the config → runtime contract is what is tested — in one `atOnce` phase on a worker
 * with a manual clock, a seeded `WorkerData` that captures the log, and real statistics recorders.
 *
 * Processors can be fed bytes in chosen parts with the `test.feed` fixture step (`feedScenario`), their specs
 * decoded from YAML by the config layer's processor list.
 */
import { decodeYaml, valueOf } from '../../config/decode-testing.js';
import { parseBenchmark } from '../../config/index.js';
import type { Benchmark, Phase } from '../../config/model.js';
import { processorList } from '../../config/steps/index.js';
import type { ProcessorSpec } from '../../config/steps/index.js';
import { StatsRecorderRegistry, StatsSnapshot } from '../../stats/index.js';
import type { WorkerIdentity } from '../identity.js';
import type { PhaseStatusEvent } from '../phase-runner.js';
import { defaultRegistry } from '../registry.js';
import type { EngineRegistry } from '../registry.js';
import { Services } from '../services.js';
import type { Session } from '../session.js';
import type { Step } from '../step.js';
import { atOnce, phase, scenario, sequence, spec, TEST_ERGONOMICS } from '../testing/builders.js';
import { ManualClock } from '../testing/manual-clock.js';
import { RecordingStatsSink } from '../testing/recording-sink.js';
import { VAR_INT, VAR_OBJECT } from '../vars.js';
import { EngineWorker } from '../worker.js';
import { asSpecList, ProcessorChain } from './chains.js';
import { STATS_RECORDERS } from './services.js';
import { WORKER_DATA, WorkerData } from './worker-data.js';
import '../index.js';

export interface StepRunOptions {
  /** `atOnce` users (default 1). */
  readonly users?: number;
  /** The phase model, `atOnce` (default) or `always` (users restart as soon as they end). */
  readonly model?: 'atOnce' | 'always';
  /** Data files by the name used in the YAML. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  /** Seed of the worker's random generator (default 1). */
  readonly seed?: number;
  /** Also let the test see the worker before the phase runs (default: RUN at once). */
  readonly run?: boolean;
  readonly registry?: EngineRegistry;
}

export interface StepRun {
  readonly clock: ManualClock;
  readonly worker: EngineWorker;
  readonly sink: RecordingStatsSink;
  readonly data: WorkerData;
  readonly recorders: StatsRecorderRegistry;
  readonly events: PhaseStatusEvent[];
  /** Log lines, `INFO message` / `WARN message`. */
  readonly logs: string[];
  readonly phaseName: string;
  run(): void;
  session(index?: number): Session;
  /** A variable's value (an int as a number), or undefined when unset. */
  value(name: string, sessionIndex?: number): unknown;
  advanceMs(ms: number): void;
  /** Internal errors (session failures) reported so far. */
  errors(): string[];
}

let identityCounter = 0;

function identity(): WorkerIdentity {
  // A fresh object per run: worker-scoped data is never shared between tests.
  return { runId: `T${++identityCounter}`, agentId: 0, agents: 1, agentThreadId: 0, agentThreads: 1, globalThreadId: 0, globalThreads: 1 };
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => (line.trim() === '' ? '' : pad + line)).join('\n');
}

/** The benchmark holding `scenarioYaml` (a scenario, starting at column 0) in one atOnce phase `main`. */
export function benchmarkOf(scenarioYaml: string, options: StepRunOptions = {}): Benchmark {
  const text = `name: steps-test\nphases:\n- main:\n    ${options.model ?? 'atOnce'}:\n      users: ${options.users ?? 1}\n      scenario:\n${indent(scenarioYaml.replace(/^\n+/, ''), 8)}\n`;
  const files = options.files ?? {};
  return parseBenchmark(text, {
    fileName: '/virtual/steps-test.hf.yaml',
    files: (name) => {
      const content = files[name];
      return content === undefined ? undefined : Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    },
  });
}

export function startPhases(phases: readonly Phase[], files: ReadonlyMap<string, Buffer>, options: StepRunOptions = {}): StepRun {
  const clock = new ManualClock(1_000_000_000);
  const sink = new RecordingStatsSink();
  const logs: string[] = [];
  const data = new WorkerData({
    seed: options.seed ?? 1,
    logger: { info: (m) => { logs.push(`INFO ${m}`); }, warn: (m) => { logs.push(`WARN ${m}`); } },
  });
  const recorders = new StatsRecorderRegistry(1000);
  const events: PhaseStatusEvent[] = [];
  const worker = new EngineWorker({
    benchmark: { phases, ergonomics: TEST_ERGONOMICS, http: [], files },
    identity: identity(),
    onStatus: (event) => {
      events.push(event);
      if (event.status === 'RUNNING') recorders.startPhase(event.phaseId, clock.wallMs());
    },
    stats: sink,
    clock,
    registry: options.registry ?? defaultRegistry,
    services: new Services().set(WORKER_DATA, data).set(STATS_RECORDERS, recorders),
    seed: options.seed ?? 1,
  });
  const phaseName = phases[0]!.name;
  const run: StepRun = {
    clock, worker, sink, data, recorders, events, logs, phaseName,
    run(): void {
      worker.command(phaseName, 'RUN');
      clock.runDeferred();
    },
    session(index = 0): Session {
      const session = worker.sessionsOf(phaseName)[index];
      if (session === undefined) throw new Error(`no session ${index}`);
      return session;
    },
    value(name: string, sessionIndex = 0): unknown {
      const session = run.session(sessionIndex);
      const names = (session as unknown as { blueprint: { varNames: readonly string[] } }).blueprint.varNames;
      const slot = names.indexOf(name);
      if (slot < 0) throw new Error(`the scenario has no variable ${name} (it has ${names.join(', ')})`);
      const kind = session.vars.kinds[slot];
      if (kind === VAR_INT) return session.vars.ints[slot];
      if (kind === VAR_OBJECT) return session.vars.objects[slot];
      return undefined;
    },
    advanceMs(ms: number): void {
      clock.advanceBy(ms * 1e6);
    },
    errors(): string[] {
      return sink.errors.map((e) => e.message);
    },
  };
  if (options.run !== false) run.run();
  return run;
}

/** Parses the scenario, builds the worker and (unless `run: false`) runs the phase until every session blocks. */
export function runScenario(scenarioYaml: string, options: StepRunOptions = {}): StepRun {
  const benchmark = benchmarkOf(scenarioYaml, options);
  return startPhases(benchmark.phases, benchmark.files, options);
}

/** Processor specs decoded from YAML (a list or mapping of processors), as a handler's `body:` would hold them. */
export function decodeProcessors(yaml: string): ProcessorSpec[] {
  return valueOf(decodeYaml(processorList, yaml));
}

export interface FeedConfig {
  readonly processors: readonly ProcessorSpec[];
  /** Each document (a response body) as its parts; `isLastPart` is set on the last part of each document. */
  readonly documents: ReadonlyArray<ReadonlyArray<string | Buffer>>;
}

/** The default registry plus `test.feed`, a step that feeds documents to processors (before, parts, after). */
export function feedRegistry(): EngineRegistry {
  const registry = defaultRegistry.copy();
  registry.registerStep<FeedConfig>('test.feed', (config, cx): Step => {
    const chain = new ProcessorChain(cx.processors(asSpecList(config.processors)));
    const documents = config.documents.map((parts) => parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'))));
    return {
      invoke(session: Session): boolean {
        for (const parts of documents) {
          chain.before(session);
          parts.forEach((part, i) => chain.process(session, part, 0, part.length, i === parts.length - 1));
          chain.after(session);
        }
        return true;
      },
    };
  });
  return registry;
}

/** Runs `test.feed` with the processors decoded from `processorsYaml`, in a one-sequence scenario. */
export function feed(processorsYaml: string, documents: ReadonlyArray<ReadonlyArray<string | Buffer>>, options: StepRunOptions = {}): StepRun {
  const processors = decodeProcessors(processorsYaml);
  const main = phase(`feed${++identityCounter}`, atOnce(options.users ?? 1), scenario([sequence('main', [spec('test.feed', { processors, documents })])]));
  return startPhases([main], new Map(), { ...options, registry: feedRegistry() });
}

/** Splits `text` into parts of at most `size` bytes (a multi-byte character may be cut, as on the network). */
export function splitBytes(text: string | Buffer, size: number): Buffer[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
  return parts;
}

/** Everything recorded under `metric` so far (all phases and steps), merged into one snapshot. */
export function recorded(run: StepRun, metric: string): StatsSnapshot {
  const total = new StatsSnapshot();
  for (const recorder of run.recorders.recorders()) {
    if (recorder.metric !== metric) continue;
    for (const { snapshot } of recorder.drainAll()) total.add(snapshot);
  }
  return total;
}
