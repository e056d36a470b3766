/** Deploys the single in-process agent `in-vm` of standalone mode and `hyperfoil run`. */
import { Agent } from '../agent/index.js';
import type { Deployer } from '../controller/index.js';
import type { LoadedExtension } from '../extensions/index.js';
import { HyperfoilError } from '../lib/index.js';
import { inProcessLink } from './in-process-link.js';

/** `extensions`: loaded in this process already; the agent's worker threads load the same compiled files. */
export function inVmDeployer(extensions: readonly LoadedExtension[] = []): Deployer {
  return {
    extensions,
    async deploy(request) {
      if (request.agents.length !== 1 || request.agents[0]?.name !== 'in-vm') {
        throw new HyperfoilError('AGENTS_IN_STANDALONE',
          'Hyperfoil runs in standalone mode but the benchmark defines agents for clustering: remove `agents:` or use a clustered controller');
      }
      const link = inProcessLink('in-vm');
      new Agent('in-vm', link.agentSide, undefined, extensions);
      return [link.controllerSide];
    },
  };
}
