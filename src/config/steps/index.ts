/**
 * PLACEHOLDER until the step catalogue lands: the registry of steps, actions and processors and the
 * `StepSpec` union it decodes to. The scenario work replaces this file.
 */
import type { Component } from '../codec.js';

export type StepSpec = Component<string, unknown>;
