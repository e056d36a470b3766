/**
 * Start dependencies between phases (`startAfter`, `startAfterStrict`, `startWith`) and the cycles among them:
 * phases in a cycle wait for each other forever, so a benchmark with one is rejected.
 */
import type { Phase } from '../config/index.js';

type Deps = Pick<Phase, 'name' | 'startAfter' | 'startAfterStrict' | 'startWith'>;

export function startDependencies(phase: Deps): string[] {
  const deps = [...phase.startAfter, ...phase.startAfterStrict];
  if (phase.startWith) deps.push(phase.startWith.phase);
  return deps;
}

/**
 * Every cycle, one per strongly connected component, as a path that returns to its first phase
 * (`['a', 'b', 'a']`), starting at the component's first phase in `phases` order. References to unknown
 * phases are ignored here (they are reported separately).
 */
export function findCycles(phases: readonly Deps[]): string[][] {
  const index = new Map<string, number>();
  phases.forEach((p, i) => index.set(p.name, i));
  const edges = phases.map((p) => startDependencies(p).map((d) => index.get(d)).filter((d): d is number => d !== undefined));

  // Tarjan's strongly connected components, iteratively (long chains of iterations must not overflow the stack).
  const order = new Array<number>(phases.length).fill(-1);
  const low = new Array<number>(phases.length).fill(0);
  const onStack = new Array<boolean>(phases.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < phases.length; root++) {
    if (order[root] !== -1) continue;
    const work: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; next: number };
      const out = edges[frame.node] as number[];
      if (frame.next < out.length) {
        const to = out[frame.next++] as number;
        if (order[to] === -1) {
          order[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = true;
          work.push({ node: to, next: 0 });
        } else if (onStack[to]) {
          low[frame.node] = Math.min(low[frame.node] as number, order[to] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
      if (low[frame.node] === order[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = false;
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (edges[frame.node] as number[]).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }

  return components
    .map((component) => cyclePath(Math.min(...component), new Set(component), edges))
    .sort((a, b) => (a[0] as number) - (b[0] as number))
    .map((path) => path.map((i) => (phases[i] as Deps).name));
}

/** The shortest path from `start` back to itself inside the component (breadth-first). */
function cyclePath(start: number, members: ReadonlySet<number>, edges: readonly number[][]): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    for (const to of edges[node] as number[]) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path: number[] = [];
        for (let at: number | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.push(at);
        return [start, ...path.reverse(), start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
