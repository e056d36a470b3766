/**
 * Live views (`status`, `stats`, `sessions`, `connections`): on a terminal the frame is redrawn in place once a
 * second until the run is over or the user presses Ctrl+C (the run goes on); in a pipe nothing is redrawn and the
 * frame is printed once, when the run is over.
 */
import { ControllerError } from './client.js';
import type { ShellContext } from './context.js';
import { eraseRows, rowsOf } from './terminal.js';

export interface Frame {
  readonly text: string;
  /** Nothing will change any more: print and stop. */
  readonly done: boolean;
}

export const REFRESH_MS = 1000;
const WATCHING = 'Press Ctrl+C to stop watching...';

/** Sleeps, waking early when the signal fires; resolves `true` when it was interrupted. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isInterruption(error: unknown): boolean {
  return error instanceof ControllerError && error.code === 'INTERRUPTED';
}

export async function liveView(cx: ShellContext, next: () => Promise<Frame>, periodMs = REFRESH_MS): Promise<void> {
  const { terminal } = cx;
  let shownRows = 0;
  let last: Frame | undefined;
  for (;;) {
    let frame: Frame;
    try {
      frame = await next();
    } catch (error) {
      if (!isInterruption(error)) throw error;
      break;
    }
    last = frame;
    if (terminal.interactive) {
      const text = frame.done ? frame.text : `${frame.text}\n${WATCHING}`;
      terminal.write(`${shownRows > 0 ? eraseRows(shownRows) : ''}${text}\n`);
      shownRows = rowsOf(text, terminal.columns);
    }
    if (frame.done) {
      if (!terminal.interactive) terminal.info(frame.text);
      return;
    }
    if (await pause(periodMs, cx.signal)) break;
  }
  // Interrupted: a terminal keeps the last frame (minus the Ctrl+C hint); a pipe prints what it has.
  if (terminal.interactive) {
    if (last && shownRows > 0) terminal.write(`${eraseRows(shownRows)}${last.text}\n`);
  } else if (last) {
    terminal.info(last.text);
  }
}
