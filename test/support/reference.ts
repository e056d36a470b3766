/**
 * Hyperfoil's reference material (example benchmarks, docs) is not copied into this repository: it sits in
 * `shared/` beside the clone (CI lays it there). Tests that need it find it here, and skip with a visible reason
 * where it is absent.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const referenceDir: string | undefined = [join(repoRoot, '..', 'shared'), join(repoRoot, '..', '..', 'shared')]
  .map((dir) => join(dir, 'hyperfoil-reference'))
  .find((dir) => existsSync(dir));

export const referenceExamplesDir: string | undefined = referenceDir && join(referenceDir, 'examples');

/** The example benchmark files, `[]` when the reference is absent. */
export function referenceExamples(): string[] {
  if (!referenceExamplesDir) return [];
  return readdirSync(referenceExamplesDir).filter((f) => f.endsWith('.hf.yaml')).sort().map((f) => join(referenceExamplesDir as string, f));
}

export const SKIP_NO_REFERENCE = referenceExamplesDir ? false : 'Hyperfoil reference material (../shared/hyperfoil-reference) not found beside the repository';

/** Our port of quickstart 8's custom step, the extension `divide.hf.yaml` needs. */
export const DIVIDE_EXTENSION = join(repoRoot, 'examples', 'extensions', 'divide');
