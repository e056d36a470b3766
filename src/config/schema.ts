/**
 * The JSON Schema of the benchmark format, generated from the same decoders that validate benchmarks,
 * so editors see exactly what `hyperfoil validate` accepts.
 */
import { benchmarkCodec } from './benchmark.js';
import type { JsonSchema, SchemaDefs } from './json-schema.js';

export const SCHEMA_ID = 'https://hyperfoil.io/schema.json';

export function benchmarkJsonSchema(): JsonSchema {
  const defs: SchemaDefs = new Map();
  const root = benchmarkCodec.schema(defs);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'Hyperfoil benchmark (.hf.yaml)',
    ...root,
    ...(defs.size > 0 ? { $defs: Object.fromEntries([...defs].sort(([a], [b]) => a.localeCompare(b))) } : {}),
  };
}
