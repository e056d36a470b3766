/** Helpers shared by the benchmark and run commands. */
import { ControllerError } from '../client.js';
import { ShellError } from '../command.js';
import type { ShellContext } from '../context.js';

/** A 400 from the controller about the benchmark is an invalid benchmark, not a broken connection. */
export function benchmarkFailure(error: unknown, what: string): never {
  if (error instanceof ControllerError && error.status === 400) throw new ShellError(`${what}: ${error.message}`, 'benchmark', { cause: error });
  if (error instanceof ControllerError && error.status === 404) throw new ShellError(`${what}: ${error.message}`, 'failed', { cause: error });
  throw error;
}

/** " (uploaded: a, b)" or a hint to upload. */
export async function known(cx: ShellContext): Promise<string> {
  try {
    const names = [...await cx.client!.benchmarks(cx.signal), ...await cx.client!.templates(cx.signal)].sort();
    return names.length > 0 ? `; uploaded: ${names.join(', ')}` : '; nothing is uploaded yet: `upload FILE`';
  } catch {
    return '';
  }
}

