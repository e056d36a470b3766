/**
 * Loads every step catalogue into the engine's default registry: the core steps register themselves when the
 * engine loads; the HTTP steps register when their module loads. Workers import this once.
 */
import '../engine/index.js';
import '../http/steps/index.js';
