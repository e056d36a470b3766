/**
 * A rendered benchmark as plain JSON for `GET /benchmark/{name}/structure`: maps become objects, data files are shown
 * by size, and lists or maps longer than `maxCollectionSize` are cut short with a note of how much was left out.
 */
const MAX_DEPTH = 64;

function truncated(count: number): string {
  return `<${count} more>`;
}

export function toStructure(value: unknown, maxCollectionSize: number): unknown {
  const seen = new WeakSet<object>();
  const walk = (node: unknown, depth: number, key?: string): unknown => {
    if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
    if (typeof node === 'bigint') return node.toString();
    if (node === undefined || typeof node === 'function' || typeof node === 'symbol') return undefined;
    if (depth > MAX_DEPTH) return '<nested too deeply>';
    if (Buffer.isBuffer(node)) return `<${node.length} bytes>`;
    if (seen.has(node as object)) return '<cycle>';
    seen.add(node as object);
    try {
      if (Array.isArray(node)) {
        const out = node.slice(0, maxCollectionSize).map((item) => walk(item, depth + 1) ?? null);
        if (node.length > maxCollectionSize) out.push(truncated(node.length - maxCollectionSize));
        return out;
      }
      const entries: [string, unknown][] = node instanceof Map
        ? [...node.entries()].map(([k, v]) => [String(k), v])
        : Object.entries(node as Record<string, unknown>);
      // The source text is what GET /benchmark/{name} is for; here it would only repeat it.
      const kept = depth === 0 ? entries.filter(([k]) => k !== 'source') : entries;
      const limit = node instanceof Map || key === 'params' ? maxCollectionSize : Number.POSITIVE_INFINITY;
      const out: Record<string, unknown> = {};
      for (const [k, v] of kept.slice(0, limit)) {
        const converted = walk(v, depth + 1, k);
        if (converted !== undefined) out[k] = converted;
      }
      if (kept.length > limit) out['<truncated>'] = truncated(kept.length - limit);
      return out;
    } finally {
      seen.delete(node as object);
    }
  };
  return walk(value, 0);
}
