/** An extension that cannot be found, compiled, loaded or registered: the message names its file (and line). */
import { HyperfoilError } from '../lib/index.js';

export class ExtensionError extends HyperfoilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EXTENSION', message, options);
  }
}
