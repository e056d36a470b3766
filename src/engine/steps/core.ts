/**
 * Core steps whose configuration has no properties, so their shape cannot drift from the config layer:
 * `noop` (does nothing) and `stop` (ends the session, not an error); and, through `registerStepCatalogue`, every
 * other non-HTTP step, action and processor.
 */
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { Step } from '../step.js';
import { registerStepCatalogue } from './register.js';

export const NOOP_STEP: Step = {
  invoke(): boolean {
    return true;
  },
};

export const STOP_STEP: Step = {
  invoke(session: Session): boolean {
    session.stop();
    return true;
  },
};

export function registerCoreSteps(registry: EngineRegistry): void {
  registry.registerStep('noop', () => NOOP_STEP);
  registry.registerStep('stop', () => STOP_STEP);
  registerStepCatalogue(registry);
}
