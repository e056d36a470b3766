/**
 * A controller↔agent connection inside one process (standalone, `hyperfoil run`): the same messages as over a
 * WebSocket, delivered asynchronously so neither side ever runs inside the other's call stack.
 */
import type { ControllerChannel } from '../agent/index.js';
import type { AgentConnection } from '../controller/index.js';
import type { AgentMessage, ControllerMessage } from '../protocol/index.js';

class End<In, Out> {
  readonly messageListeners: Array<(message: In) => void> = [];
  readonly closeListeners: Array<(reason: string) => void> = [];
  peer!: End<Out, In>;
  closed = false;

  send(message: Out): void {
    if (this.closed) return;
    const peer = this.peer;
    setImmediate(() => {
      if (!peer.closed) for (const listener of peer.messageListeners) listener(message);
    });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    setImmediate(() => {
      if (peer.closed) return;
      peer.closed = true;
      for (const listener of peer.closeListeners) listener(reason);
    });
  }
}

export function inProcessLink(name: string): { controllerSide: AgentConnection; agentSide: ControllerChannel } {
  const controllerEnd = new End<AgentMessage, ControllerMessage>();
  const agentEnd = new End<ControllerMessage, AgentMessage>();
  controllerEnd.peer = agentEnd;
  agentEnd.peer = controllerEnd;
  return {
    controllerSide: {
      name,
      address: 'in-vm',
      send: (message) => controllerEnd.send(message),
      onMessage: (listener) => void controllerEnd.messageListeners.push(listener),
      onClose: (listener) => void controllerEnd.closeListeners.push(listener),
      close: () => controllerEnd.close('closed by the controller'),
    },
    agentSide: {
      send: (message) => agentEnd.send(message),
      onMessage: (listener) => void agentEnd.messageListeners.push(listener),
      onClose: (listener) => void agentEnd.closeListeners.push(listener),
      close: () => agentEnd.close('the agent stopped'),
    },
  };
}
