/**
 * `hyperfoil agent`: an agent process. Deployers start it (`local`, `ssh`); it can also be started by hand to join a
 * clustered controller by name (`--deployer none`). It serves one run and exits: 0 after the run's `stop`,
 * 4 when the controller refused it, went away or could not be reached.
 */
import { createInterface } from 'node:readline';
import { runAgentProcess } from '../../agent/index.js';
import { prepareExtensions } from '../../extensions/index.js';
import { parseDurationMs } from '../../lib/index.js';
import { flag, parseArgs, usage, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';

/** Environment variable that may carry the token, so that it does not show in `ps`. */
export const AGENT_TOKEN_ENV = 'HYPERFOIL_AGENT_TOKEN';

const FLAGS: FlagSpec[] = [
  { name: 'controller', value: 'URL', description: 'the controller to join, e.g. http://controller:8090' },
  { name: 'name', value: 'NAME', description: 'this agent\'s name, as the benchmark\'s `agents:` names it' },
  { name: 'token', value: 'TOKEN', description: `the token the controller expects (or set ${AGENT_TOKEN_ENV}; \`-\` reads it from stdin)` },
  { name: 'threads', value: 'N', description: 'threads this agent was started for; the benchmark must give it the same' },
  { name: 'cert-sha256', value: 'HEX', description: 'trust the controller\'s TLS certificate with this SHA-256 fingerprint' },
  { name: 'extension', value: 'PATH|PACKAGE', repeatable: true, description: 'load an extension (deployers pass the controller\'s compiled ones)' },
  { name: 'connect-timeout', value: 'DURATION', description: 'keep trying to reach the controller this long (default 30s)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

const AGENT_USAGE = usage('agent --controller URL --name NAME --token TOKEN [--threads N]',
  'Joins a clustered controller as agent NAME, runs its share of one run, and exits when the run ends.', FLAGS);

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    let done = false;
    const finish = (line: string): void => {
      if (done) return;
      done = true;
      lines.close();
      resolve(line.trim());
    };
    lines.once('line', finish);
    lines.once('close', () => finish(''));
  });
}

/** `workerUrl`: set by the single-file agent bundle, which is its own worker module. */
export async function agentCommand(argv: readonly string[], out: Output, extra: { workerUrl?: URL } = {}): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help')) {
    out.info(AGENT_USAGE);
    return ExitCode.OK;
  }
  if (args.positional.length > 0) throw new UsageError(`agent takes no arguments\n\n${AGENT_USAGE}`);
  const controllerUrl = flag(args, 'controller');
  const name = flag(args, 'name');
  if (controllerUrl === undefined) throw new UsageError(`--controller URL is required\n\n${AGENT_USAGE}`);
  if (name === undefined || name.trim() === '') throw new UsageError(`--name NAME is required\n\n${AGENT_USAGE}`);
  let token = flag(args, 'token') ?? process.env[AGENT_TOKEN_ENV];
  if (token === '-') token = await readLine();
  if (token === undefined || token === '') {
    throw new UsageError(`a token is required: --token TOKEN, ${AGENT_TOKEN_ENV}, or --token - with the token on stdin`);
  }
  const threadsText = flag(args, 'threads');
  const threads = threadsText === undefined ? undefined : Number(threadsText);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`--threads must be a whole number of at least 1, got \`${threadsText}\``);
  }
  const timeoutText = flag(args, 'connect-timeout');
  const connectTimeout = timeoutText === undefined ? undefined : parseDurationMs(timeoutText);
  if (connectTimeout && !connectTimeout.ok) throw new UsageError(`--connect-timeout: ${connectTimeout.message}`);
  const certSha256 = flag(args, 'cert-sha256');
  const extensions = await prepareExtensions({ specs: args.flags.get('extension') ?? [] });
  const outcome = await runAgentProcess({
    controllerUrl, name, token, extensions,
    log: (line) => out.warn(`${new Date().toISOString()} ${line}`),
    ...(threads !== undefined ? { threads } : {}),
    ...(connectTimeout?.ok ? { connectTimeoutMs: connectTimeout.value } : {}),
    ...(certSha256 !== undefined ? { certSha256 } : {}),
    ...(extra.workerUrl !== undefined ? { workerUrl: extra.workerUrl } : {}),
  });
  // Worker threads and sockets are closed; a stray handle must not keep a finished agent alive.
  setTimeout(() => process.exit(), 3000).unref();
  return outcome === 'stopped' ? ExitCode.OK : ExitCode.RUN_FAILED;
}
