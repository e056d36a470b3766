/** Numbers as the CLI prints them: latencies from nanoseconds, throughput, byte sizes. */

export function formatNanos(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} μs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

export function formatThroughput(perSec: number): string {
  if (!Number.isFinite(perSec)) return '-';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M req/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(2)}k req/s`;
  return `${perSec.toFixed(2)} req/s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)}${units[unit]}`;
}
