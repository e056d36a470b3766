/**
 * Pre-allocated sessions shared by the phases with the same `sharedResources` (the iterations of one phase).
 * Every session is created up front; starting a user takes one from the free stack, ending gives it back.
 */
import type { CompiledScenario } from './compile.js';
import { Session } from './session.js';
import type { SessionRuntime } from './session.js';

export class SessionPool {
  readonly sessions: readonly Session[];
  private readonly free: Session[];

  constructor(
    readonly key: string,
    readonly scenario: CompiledScenario,
    size: number,
    runtime: SessionRuntime,
    nextSessionId: () => number,
  ) {
    const sessions: Session[] = [];
    for (let i = 0; i < size; i++) sessions.push(new Session(nextSessionId(), scenario, runtime));
    this.sessions = sessions;
    // Reversed so that the first sessions are handed out first.
    this.free = [...sessions].reverse();
  }

  get size(): number {
    return this.sessions.length;
  }

  get available(): number {
    return this.free.length;
  }

  acquire(): Session | undefined {
    return this.free.pop();
  }

  release(session: Session): void {
    this.free.push(session);
  }
}
