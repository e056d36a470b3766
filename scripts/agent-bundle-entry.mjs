// Entry point of the single-file agent bundle (dist/agent-bundle/hyperfoil-agent.mjs) that the SSH deployer copies
// to agent hosts. The same file is the agent process (`node hyperfoil-agent.mjs agent --controller … --name …`) and
// the module of its worker threads: in a worker, worker-main starts the load engine and nothing else runs.
import { isMainThread } from 'node:worker_threads';
import '../dist/src/agent/worker-main.js';
import { agentCommand } from '../dist/src/cli/commands/agent.js';
import { consoleOutput } from '../dist/src/cli/output.js';

if (isMainThread) {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'agent') {
    process.stderr.write('Usage: node hyperfoil-agent.mjs agent --controller URL --name NAME --token TOKEN [--threads N]\n');
    process.exitCode = 2;
  } else {
    try {
      process.exitCode = await agentCommand(rest, consoleOutput, { workerUrl: new URL(import.meta.url) });
    } catch (error) {
      process.stderr.write(`hyperfoil agent: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error && typeof error === 'object' && error.code === 'USAGE' ? 2 : 4;
    }
  }
}
