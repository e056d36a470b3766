/**
 * `CompileContext.processors()` is typed with step specs although it compiles processor specs (a processor list
 * decodes to `ProcessorSpec[]`); this is the one place that bridges the two types.
 */
import type { ProcessorSpec, StepSpec } from '../../config/steps/index.js';

export function asSpecs(processors: readonly ProcessorSpec[]): readonly StepSpec[] {
  return processors as unknown as readonly StepSpec[];
}
