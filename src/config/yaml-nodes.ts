/** Finding where a property was written, so that cross-property checks point at the right line. */
import { isMap, isPair, isScalar } from 'yaml';
import type { Node as YNode } from 'yaml';

/** The value node of `key` in a mapping (its key node when the value is empty), or the mapping itself. */
export function valueNodeOf(mapping: YNode, key: string): YNode {
  return findPair(mapping, key)?.value ?? findPair(mapping, key)?.key ?? mapping;
}

/** The key node of `key` in a mapping, or the mapping itself. */
export function keyNodeOf(mapping: YNode, key: string): YNode {
  return findPair(mapping, key)?.key ?? mapping;
}

function findPair(mapping: YNode, key: string): { key: YNode; value: YNode | undefined } | undefined {
  if (!isMap(mapping)) return undefined;
  for (const pair of mapping.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as YNode;
    if (isScalar(keyNode) && String(keyNode.value) === key) {
      return { key: keyNode, value: (pair.value as YNode | null) ?? undefined };
    }
  }
  return undefined;
}
