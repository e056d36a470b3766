/**
 * Agent messages for fuzzers: valid ones with random values (for a run whose phase `main` is running), and mutations
 * of them (fields dropped or retyped, nulls, huge strings, deep nesting, odd numbers, prototype keys, truncated text,
 * random bytes). Deterministic from the PRNG given, so a failure replays from its seed.
 */
import { encodeHistogram } from '../stats/hdr-encoding.js';
import { createHistogram } from '../stats/histogram.js';
import { encodeSnapshot, StatsSnapshot } from '../stats/index.js';

type Random = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a fuzzer sends: a JSON value, raw text, or a binary frame. */
export type FuzzMessage = { readonly json: Json } | { readonly text: string } | { readonly binary: Buffer };

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, max: number): number => Math.floor(random() * max);

function snapshotBase64(random: Random): string {
  const snapshot = new StatsSnapshot('int32').setInterval(1000, 2000);
  for (let i = int(random, 5); i > 0; i--) snapshot.recordResponse(int(random, 1e9));
  return encodeSnapshot(snapshot).toString('base64');
}

const histogram = encodeHistogram(createHistogram('int32')).toString('base64');

/** A valid message an agent may send while phase `phase` runs (never one that ends the run by itself). */
export function validRunningMessage(random: Random, phase = 'main'): { [key: string]: Json } {
  const now = Date.now();
  switch (int(random, 7)) {
    case 0: return { type: 'heartbeat', agentTimeMs: now };
    case 1: return { type: 'sessions', timestampMs: now, phases: { [phase]: { min: int(random, 10), max: 10 + int(random, 10) } } };
    case 2: return { type: 'connections', timestampMs: now, rows: [{ authority: `h${int(random, 3)}:80`, type: pick(random, ['in-flight requests', 'used connections']), min: 0, max: int(random, 100) }] };
    case 3: return { type: 'stats', items: [{ phase, stepId: 1 + int(random, 3), metric: pick(random, ['m', 'n']), sequenceId: int(random, 2), snapshot: snapshotBase64(random) }] };
    case 4: return { type: 'error', message: `warning ${int(random, 1000)}`, fatal: false };
    case 5: return { type: 'phaseStatus', phase, status: 'RUNNING', sessionLimitExceeded: false, agentTimeMs: now };
    default: return { type: 'generatorLoad', phase, lateness: histogram, loopLag: histogram, throttledStarts: int(random, 5), droppedStarts: 0 };
  }
}

/** Every message type once, valid, to mutate from. */
export function validTemplates(random: Random, phase = 'main'): Array<{ [key: string]: Json }> {
  return [
    { type: 'hello', version: 1, name: 'a', token: 't', agentTimeMs: Date.now() },
    { type: 'ready', stepSlas: { 1: [{ errorRatio: 0.1, invalidRatio: 1, blockedRatio: 1, windowMs: 1000, limits: [{ percentile: 99, latencyNs: 1e8 }] }] } },
    { type: 'phaseStatsComplete', phase },
    { type: 'stopped' },
    ...Array.from({ length: 7 }, () => validRunningMessage(random, phase)),
  ];
}

const HUGE = 'x'.repeat(256 * 1024);
/** Null and empty containers come up most: code that walks nested values without checking them trips on those. */
const ODD_VALUES: readonly Json[] = [null, null, null, [], {}, [null], { min: null }, true, 0, -1, 1.5, 2 ** 60, -(2 ** 60), 1e308, '', 'main', HUGE];

/** Stands for 10 000 nested arrays, written out when the message is encoded (JSON.stringify would overflow). */
const DEEP = '@@deeply-nested@@';
const DEEP_TEXT = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

function mutateValue(random: Random, value: Json, depth: number): Json {
  // Into containers most of the time: the nested values are where a shallow check lets garbage through.
  if (depth < 4 && value !== null && typeof value === 'object' && random() < 0.75) {
    if (Array.isArray(value)) {
      if (value.length === 0) return [pick(random, ODD_VALUES)];
      const copy = [...value];
      const i = int(random, copy.length);
      copy[i] = mutateValue(random, copy[i]!, depth + 1);
      return copy;
    }
    return mutateObject(random, value, depth + 1);
  }
  return random() < 0.1 ? DEEP : pick(random, ODD_VALUES);
}

function mutateObject(random: Random, object: { [key: string]: Json }, depth: number): { [key: string]: Json } {
  const copy: { [key: string]: Json } = { ...object };
  const keys = Object.keys(copy).filter((k) => depth > 0 || k !== 'type');
  const key = keys.length > 0 ? pick(random, keys) : undefined;
  switch (int(random, 6)) {
    case 0:
      if (key !== undefined) delete copy[key];
      return copy;
    case 1:
      Object.defineProperty(copy, pick(random, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'extra']), {
        value: pick(random, ODD_VALUES), enumerable: true, configurable: true, writable: true,
      });
      return copy;
    default:
      if (key !== undefined) copy[key] = mutateValue(random, copy[key]!, depth);
      return copy;
  }
}

/** One mutation of `message`: usually invalid, sometimes still valid (a fuzzer must cope with both). */
export function mutateMessage(random: Random, message: { [key: string]: Json }): FuzzMessage {
  const roll = random();
  if (roll < 0.05) return { binary: Buffer.from(Array.from({ length: 1 + int(random, 64) }, () => int(random, 256))) };
  if (roll < 0.10) {
    const text = JSON.stringify(message);
    return { text: text.slice(0, int(random, text.length)) };
  }
  if (roll < 0.15) return { text: JSON.stringify(message).replace(/:(\d+)/, ':1e999') };
  if (roll < 0.20) return { json: { ...message, type: pick(random, ['reboot', '__proto__', 'constructor', '', 'HELLO']) } };
  if (roll < 0.25) return { json: pick(random, [null, [], 'text', 42, DEEP]) };
  return { json: mutateObject(random, message, 0) };
}

/** The bytes or text a fuzz message goes out as. */
export function encodeFuzzMessage(message: FuzzMessage): string | Buffer {
  if ('binary' in message) return message.binary;
  if ('text' in message) return message.text;
  return JSON.stringify(message.json).replaceAll(`"${DEEP}"`, DEEP_TEXT);
}
