/**
 * The single-file agent bundle the SSH deployer copies to `<dir>/agentlib/` on agent hosts: the agent process and
 * its worker threads (engine, HTTP client, statistics) with their npm dependencies, in one ES module that needs only
 * `node` (≥ 20) on the host. Built with esbuild from the compiled `dist/` by `scripts/build-agent-bundle.mjs`
 * (part of the build); built here on first use when missing and esbuild is installed.
 *
 * Why one file rather than a tarball of dist/ and node_modules: one copy, one checksum, no `tar` on the host, no
 * native modules (the controller's ssh2 is not needed by agents), and a ~1 MB upload instead of several.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HyperfoilError } from '../../lib/index.js';

export const AGENT_BUNDLE_FILE = 'hyperfoil-agent.mjs';

/** `<repo>/`: this module is `dist/src/deploy/ssh/agent-bundle.js`. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const DEFAULT_AGENT_BUNDLE = `${REPO_ROOT}dist/agent-bundle/${AGENT_BUNDLE_FILE}`;
const ENTRY = `${REPO_ROOT}scripts/agent-bundle-entry.mjs`;

export interface AgentBundle {
  readonly path: string;
  readonly content: Buffer;
  /** Hex SHA-256 of the content: the host's copy is replaced only when it differs. */
  readonly sha256: string;
}

function bundleOf(path: string): AgentBundle {
  const content = readFileSync(path);
  return { path, content, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Bundles the compiled agent into `outFile` with esbuild (a development dependency). */
export async function buildAgentBundle(outFile: string = DEFAULT_AGENT_BUNDLE): Promise<AgentBundle> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new HyperfoilError('AGENT_BUNDLE_MISSING',
      `the agent bundle ${outFile} is missing and cannot be built here (esbuild is not installed): run \`npm install\` and \`npm run build\` ` +
      'in the hyperfoil directory', { cause: error });
  }
  if (!existsSync(ENTRY)) throw new HyperfoilError('AGENT_BUNDLE_MISSING', `the agent bundle entry ${ENTRY} is missing`);
  mkdirSync(dirname(outFile), { recursive: true });
  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Some dependencies are CommonJS and call require() for node built-ins.
    banner: { js: "import { createRequire as __hyperfoilCreateRequire } from 'node:module'; const require = __hyperfoilCreateRequire(import.meta.url);" },
    // Optional native speed-ups of ws, loaded in try/catch: absent on agents. esbuild compiles extensions on the
    // controller; agents receive them compiled.
    external: ['bufferutil', 'utf-8-validate', 'esbuild'],
    legalComments: 'eof',
    logLevel: 'error',
  });
  return bundleOf(outFile);
}

/** The newest modification time (ms) of the compiled JavaScript under `dir`. */
function newestJsMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestJsMs(path));
    else if (entry.name.endsWith('.js') && !entry.name.endsWith('.test.js')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The bundle at `path` (default: the built one). The default one is (re)built when it is missing or older than the
 * compiled sources (a `tsc` without the bundle step), so that agents never run stale code.
 */
export async function loadAgentBundle(path: string = DEFAULT_AGENT_BUNDLE): Promise<AgentBundle> {
  if (path !== DEFAULT_AGENT_BUNDLE) {
    if (!existsSync(path)) throw new HyperfoilError('AGENT_BUNDLE_MISSING', `the agent bundle ${path} does not exist`);
    return bundleOf(path);
  }
  if (!existsSync(path)) return buildAgentBundle(path);
  const sources = `${REPO_ROOT}dist/src`;
  if (existsSync(sources) && newestJsMs(sources) > statSync(path).mtimeMs) {
    try {
      return await buildAgentBundle(path);
    } catch {
      // No esbuild here (an installation without dev dependencies): the bundle shipped with it is the one to use.
    }
  }
  return bundleOf(path);
}
