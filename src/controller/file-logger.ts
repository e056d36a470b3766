/** The controller's log file: one line per message, appended; a log that cannot be written never breaks anything. */
import { appendFileSync } from 'node:fs';
import type { Logger, LogLevel } from './rest/index.js';

/** Severity order; `off` writes nothing. */
export const LOG_LEVELS: Readonly<Record<LogLevel | 'off', number>> = { info: 0, warn: 1, error: 2, off: 3 };

/** Writes messages at `threshold` or above to `path`. */
export function fileLogger(path: string, threshold: number): Logger {
  return (level: LogLevel, message: string) => {
    if (LOG_LEVELS[level] < threshold) return;
    try {
      appendFileSync(path, `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`);
    } catch {
      // a log that cannot be written must not break the controller
    }
  };
}
