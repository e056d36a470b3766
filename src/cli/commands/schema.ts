/** `hyperfoil schema`: print the JSON Schema of the benchmark format, for editors. */
import { benchmarkJsonSchema } from '../../config/index.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';

export function schemaCommand(_argv: readonly string[], out: Output): number {
  out.info(JSON.stringify(benchmarkJsonSchema(), null, 2));
  return ExitCode.OK;
}
