/**
 * The `none` deployer: nobody starts agents; they are started by hand (`hyperfoil agent --controller URL --name NAME
 * --token TOKEN`) with the controller-wide token, and wait at the controller until a run names them. A run waits
 * for every agent it declares, up to the deploy timeout. Each agent serves one run and exits.
 */
import type { AgentHub, Deployer } from '../controller/index.js';
import type { ExtensionRef } from '../protocol/index.js';
import { HyperfoilError } from '../lib/index.js';

export interface ManualDeployerOptions {
  readonly hub: AgentHub;
  /** The URL to tell users in messages. */
  readonly controllerUrl: () => string;
  /** The controller's extensions: hand-started agents must be started with the same `--extension`s. */
  readonly extensions?: readonly ExtensionRef[];
}

export function manualDeployer(options: ManualDeployerOptions): Deployer {
  const { hub } = options;
  return {
    extensions: options.extensions ?? [],
    async deploy(request) {
      const token = hub.standingToken;
      if (token === undefined) throw new HyperfoilError('NO_AGENT_TOKEN', 'the `none` deployer needs the controller\'s agent token');
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), request.timeoutMs);
      const onRunAbort = (): void => abort.abort();
      request.signal?.addEventListener('abort', onRunAbort, { once: true });
      const missing = new Set(request.agents.map((a) => a.name));
      try {
        const waits = request.agents.map((agent) => hub.expect(agent.name, token, abort.signal).then((connection) => {
          missing.delete(agent.name);
          return connection;
        }));
        const settled = await Promise.allSettled(waits);
        const connections = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        if (missing.size === 0) return connections;
        for (const connection of connections) connection.close();
        if (request.signal?.aborted) throw new HyperfoilError('RUN_KILLED', 'the run was killed while waiting for its agents');
        const names = [...missing];
        throw new HyperfoilError('DEPLOY_TIMEOUT', `agent${names.length > 1 ? 's' : ''} ${names.join(', ')} did not connect within ` +
          `${request.timeoutMs} ms; start ${names.length > 1 ? 'each' : 'it'} by hand with \`hyperfoil agent --controller ${options.controllerUrl()} ` +
          `--name ${names[0]} --token <the controller's agent token>\``);
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onRunAbort);
      }
    },
  };
}
