/** Entry point of an agent's worker thread: hosts one WorkerRuntime and relays messages to the agent. */
import { parentPort, workerData } from 'node:worker_threads';
import './catalogue.js';
import type { ToWorker, WorkerInit } from './worker-messages.js';
import { WorkerRuntime } from './worker-runtime.js';

const port = parentPort;
if (port) {
  const runtime = new WorkerRuntime(workerData as WorkerInit, (message) => port.postMessage(message));
  port.on('message', (message: ToWorker) => {
    runtime.handle(message);
    if (message.type === 'stop') port.close();
  });
  void runtime.start();
}
