/** Actions that do not write variables themselves: `conditional`, `fail`, `log`. */
import type { ConditionalActionConfig, FailConfig, LogConfig } from '../../config/steps/index.js';
import type { CompiledPattern } from '../pattern.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { Action } from '../step.js';
import { ActionChain } from './chains.js';
import { compileCondition } from './conditions.js';
import type { Predicate } from './conditions.js';
import { workerDataOf } from './worker-data.js';
import type { StepLogger } from './worker-data.js';

class ConditionalAction implements Action {
  constructor(private readonly condition: Predicate, private readonly actions: Action) {}

  run(session: Session): void {
    if (this.condition.test(session)) this.actions.run(session);
  }
}

/** Ends the session as failed with the message; the phase reports it as its error (Hyperfoil fails the phase). */
class FailAction implements Action {
  constructor(private readonly message: string, private readonly condition: Predicate | null) {}

  run(session: Session): void {
    if (this.condition === null || this.condition.test(session)) session.fail(this.message);
  }
}

class LogAction implements Action {
  constructor(private readonly message: CompiledPattern, private readonly logger: StepLogger) {}

  run(session: Session): void {
    this.logger.info(this.message.render(session));
  }
}

export function registerControlSteps(registry: EngineRegistry): void {
  registry.registerAction<ConditionalActionConfig>('conditional', (config, cx) => new ConditionalAction(
    compileCondition(cx, config.condition), new ActionChain(cx.actions(config.actions)),
  ));
  registry.registerAction<FailConfig>('fail', (config, cx) => new FailAction(
    config.message, config.condition ? compileCondition(cx, config.condition) : null,
  ));
  registry.registerAction<LogConfig>('log', (config, cx) => new LogAction(cx.pattern(config.message), workerDataOf(cx).logger));
}
