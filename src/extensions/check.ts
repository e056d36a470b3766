/** The agent's check at `init`: it must have loaded exactly the extensions the controller has. */
import type { ExtensionRef } from '../protocol/index.js';

/** What is wrong, for the agent's fatal error; undefined when the agent has every required extension. */
export function extensionMismatch(agentName: string, required: readonly ExtensionRef[], have: readonly ExtensionRef[]): string | undefined {
  for (const need of required) {
    const mine = have.find((e) => e.name === need.name);
    if (!mine) {
      return `agent ${agentName} lacks the extension ${need.name} that this run needs: let the controller's deployer start the agent ` +
        `(it ships the extensions), or start the agent with --extension pointing at ${need.name}`;
    }
    if (mine.sha256 !== need.sha256) {
      return `agent ${agentName} has a different version of the extension ${need.name} (sha256 ${mine.sha256.slice(0, 12)}…, ` +
        `the controller's is ${need.sha256.slice(0, 12)}…): give both the same --extension`;
    }
  }
  return undefined;
}
