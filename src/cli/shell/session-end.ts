/** Leaving the shell: a controller started by `start-local` stops with it (a run still going is killed and stored). */
import type { ShellContext } from './context.js';

export async function shutDownLocal(cx: ShellContext): Promise<void> {
  const local = cx.local;
  if (!local) return;
  cx.local = undefined;
  const going = local.controller.runs.list().filter((r) => !r.completed);
  for (const run of going) cx.terminal.warn(`Run ${run.id} is still going; stopping the local controller kills it (what was measured is stored).`);
  await local.controller.close();
}
