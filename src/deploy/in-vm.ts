/** Deploys the single in-process agent `in-vm` of standalone mode and `hyperfoil run`. */
import { Agent } from '../agent/index.js';
import type { Deployer } from '../controller/index.js';
import { HyperfoilError } from '../lib/index.js';
import { inProcessLink } from './in-process-link.js';

export function inVmDeployer(): Deployer {
  return {
    async deploy(request) {
      if (request.agents.length !== 1 || request.agents[0]?.name !== 'in-vm') {
        throw new HyperfoilError('AGENTS_IN_STANDALONE',
          'Hyperfoil runs in standalone mode but the benchmark defines agents for clustering: remove `agents:` or use a clustered controller');
      }
      const link = inProcessLink('in-vm');
      new Agent('in-vm', link.agentSide);
      return [link.controllerSide];
    },
  };
}
