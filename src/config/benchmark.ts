/**
 * PLACEHOLDER until the top-level work lands: the codec of the whole benchmark mapping.
 */
import { map, nonEmptyStr, object, required } from './codec.js';
import type { Codec } from './codec.js';
import type { Benchmark } from './model.js';

/** What the YAML mapping decodes to; the loader adds source, files, params and warnings. */
export type BenchmarkBody = Omit<Benchmark, 'source' | 'files' | 'params' | 'templateParams' | 'warnings'>;

export const benchmarkCodec: Codec<BenchmarkBody> = map(
  object({ name: required(nonEmptyStr('a benchmark name')) }, { what: 'the benchmark' }),
  (value): BenchmarkBody => ({
    name: value.name,
    agents: [],
    threads: 1,
    ergonomics: {
      repeatCookies: true, userAgentFromSession: true, autoRangeCheck: true, stopOnInvalid: true,
      followRedirect: 'NEVER', compensateInternalLatency: false,
    },
    failurePolicy: 'CANCEL',
    statisticsCollectionPeriodMs: 1000,
    http: [],
    phases: [],
    pre: [],
    post: [],
  }),
);
