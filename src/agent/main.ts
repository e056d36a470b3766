/**
 * An agent process (`hyperfoil agent`): dials the controller, runs its share of one run on worker threads, and
 * ends when the controller says `stop` (exit 0) or when the controller refuses it, goes away or stops answering
 * (exit 1), saying which in its log.
 */
import type { LoadedExtension } from '../extensions/index.js';
import type { HyperfoilError } from '../lib/index.js';
import type { ControllerMessage } from '../protocol/index.js';
import { Agent } from './agent.js';
import type { ControllerChannel } from './agent.js';
import { WsControllerChannel } from './ws-channel.js';
import type { WsChannelOptions } from './ws-channel.js';

export interface AgentProcessOptions extends WsChannelOptions {
  /** Threads the agent was started for; the run's plan must give it the same number. */
  readonly threads?: number;
  /** Keep trying to reach the controller this long (it may start after a hand-started agent). */
  readonly connectTimeoutMs?: number;
  /** The module worker threads run (the single-file bundle passes its own URL). */
  readonly workerUrl?: URL;
  /** Loaded extensions; the controller's `init` must ask for exactly these. */
  readonly extensions?: readonly LoadedExtension[];
  readonly log: (line: string) => void;
}

/** How an agent process ended: after `stop`, after losing (or being refused by) the controller, or never connected. */
export type AgentOutcome = 'stopped' | 'lost' | 'unreachable';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, at most `ms`, without a timer left behind to keep the process alive. */
async function withinMs(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/**
 * Passes messages through, except an `init` whose thread count differs from `--threads`: that one fails the agent
 * with a message, because the controller split the load assuming its own count.
 */
function checkedChannel(channel: WsControllerChannel, threads: number | undefined, onStop: () => void): ControllerChannel {
  return {
    send: (message) => channel.send(message),
    onClose: (listener) => channel.onClose(listener),
    close: () => channel.close(),
    onMessage: (listener) => channel.onMessage((message: ControllerMessage) => {
      if (message.type === 'stop') onStop();
      if (message.type === 'init' && threads !== undefined) {
        const planned = message.agentThreads[message.agentIndex];
        if (planned !== threads) {
          channel.send({
            type: 'error', fatal: true,
            message: `agent ${message.agentName} was started with --threads ${threads} but the benchmark gives it ${planned ?? '?'}: ` +
              `set \`threads: ${threads}\` on the agent in the benchmark, or start the agent without --threads`,
          });
          return;
        }
      }
      listener(message);
    }),
  };
}

export async function runAgentProcess(options: AgentProcessOptions): Promise<AgentOutcome> {
  const { log } = options;
  const deadline = Date.now() + (options.connectTimeoutMs ?? 30_000);
  let channel: WsControllerChannel | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      channel = await WsControllerChannel.connect(options);
      break;
    } catch (error) {
      if ((error as HyperfoilError).code !== 'CONTROLLER_UNREACHABLE' || Date.now() + 1000 > deadline) {
        log(`${(error as Error).message}; giving up`);
        return 'unreachable';
      }
      if (attempt === 1) log(`${(error as Error).message}; retrying every second`);
      await delay(1000);
    }
  }
  log(`agent ${options.name} (pid ${process.pid}) connected to ${options.controllerUrl}`);
  let stopRequested = false;
  let lostReason: string | undefined;
  channel.onClose((reason) => { lostReason = reason; });
  const agent = new Agent(options.name, checkedChannel(channel, options.threads, () => { stopRequested = true; }), options.workerUrl, options.extensions);
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`agent ${options.name}: ${signal} received, stopping`);
    lostReason ??= `terminated by ${signal}`;
    agent.shutdown();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await agent.done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  await withinMs(channel.whenClosed(), 2000);
  if (stopRequested && lostReason === undefined) {
    log(`agent ${options.name}: the run ended, exiting`);
    return 'stopped';
  }
  log(`agent ${options.name}: ${lostReason ?? 'the connection ended'}; exiting`);
  return 'lost';
}
