/**
 * Benchmark templates: `!param NAME [default]`, `!concat [..]` and `!foreach {items, separator, param, do}` are
 * expanded in the YAML tree before anything else reads it, as Hyperfoil does. Expansion works in place, so an alias
 * sees the expanded value of its anchor.
 */
import { isMap, isPair, isScalar, isSeq, Scalar, YAMLSeq, visit } from 'yaml';
import type { Document, Node as YNode } from 'yaml';
import type { SourceContext } from './context.js';

export interface TemplateInfo {
  /** Every parameter name referenced with `!param` (also those with a default). */
  readonly params: ReadonlySet<string>;
}

const CORE_TAG = /^(tag:yaml\.org,2002:|!!)/;

function withRange<T extends YNode>(target: T, from: YNode): T {
  if (from.range) target.range = [...from.range];
  return target;
}

function splitParam(text: string): { name: string; defaultValue?: string } {
  const match = /^\s*(\S+)(?:\s+([\s\S]*?))?\s*$/.exec(text);
  const name = match?.[1] ?? '';
  let defaultValue = match?.[2];
  if (defaultValue !== undefined && /^(["']).*\1$/s.test(defaultValue)) defaultValue = defaultValue.slice(1, -1);
  return defaultValue === undefined ? { name } : { name, defaultValue };
}

export function expandTemplates(doc: Document, params: Readonly<Record<string, string>>, cx: SourceContext): TemplateInfo {
  const referenced = new Set<string>();
  checkAnchors(doc, cx);

  const expandValue = (node: YNode, scope: Readonly<Record<string, string>>): YNode => {
    const tag = node.tag;
    if (!tag || CORE_TAG.test(tag)) {
      expandChildren(node, scope);
      return node;
    }
    switch (tag) {
      case '!param': return expandParam(node, scope);
      case '!concat': return expandConcat(node, scope);
      case '!foreach': return expandForeach(node, scope);
      default:
        cx.problem(node, `unknown tag \`${tag}\`: templates support \`!param\`, \`!concat\` and \`!foreach\``);
        return node;
    }
  };

  const expandChildren = (node: YNode, scope: Readonly<Record<string, string>>): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && pair.value) pair.value = expandValue(pair.value as YNode, scope);
      }
    } else if (isSeq(node)) {
      node.items = (node.items as YNode[]).map((item) => (item ? expandValue(item, scope) : item));
    }
  };

  const expandParam = (node: YNode, scope: Readonly<Record<string, string>>): YNode => {
    if (!isScalar(node)) {
      cx.problem(node, '`!param` takes a parameter name and an optional default: `!param NAME default`');
      return node;
    }
    const { name, defaultValue } = splitParam(String(node.value ?? ''));
    if (name === '') {
      cx.problem(node, '`!param` needs a parameter name: `!param NAME default`');
      return node;
    }
    referenced.add(name);
    const value = Object.hasOwn(scope, name) ? scope[name] : defaultValue;
    if (value === undefined) {
      cx.problem(node, `missing template parameter \`${name}\`: pass it with \`-P ${name}=VALUE\` or give a default (\`!param ${name} VALUE\`)`);
      return node;
    }
    const scalar = new Scalar(value);
    scalar.type = 'QUOTE_DOUBLE'; // a value, never "empty"
    return withRange(scalar, node);
  };

  const expandConcat = (node: YNode, scope: Readonly<Record<string, string>>): YNode => {
    if (!isSeq(node)) {
      cx.problem(node, '`!concat` takes a list of values to join: `!concat [a, !param B, c]`');
      return node;
    }
    expandChildren(node, scope);
    let text = '';
    for (const item of node.items as YNode[]) {
      const resolved = item ? cx.deref(item) : undefined;
      if (!resolved || !isScalar(resolved)) {
        cx.problem(item ?? node, '`!concat` can only join single values, not lists or mappings');
        return node;
      }
      text += String(resolved.value ?? '');
    }
    const scalar = new Scalar(text);
    scalar.type = 'QUOTE_DOUBLE';
    return withRange(scalar, node);
  };

  const expandForeach = (node: YNode, scope: Readonly<Record<string, string>>): YNode => {
    if (!isMap(node)) {
      cx.problem(node, '`!foreach` takes a mapping with `items`, `do` and optionally `separator` and `param`');
      return node;
    }
    let itemsNode: YNode | undefined;
    let doNode: YNode | undefined;
    let separator = ',';
    let param = 'ITEM';
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as YNode | null;
      if (!value) continue;
      if (key === 'items') itemsNode = expandValue(value, scope);
      else if (key === 'do') doNode = value;
      else if (key === 'separator' && isScalar(value)) separator = String(value.value);
      else if (key === 'param' && isScalar(value)) param = String(value.value);
      else cx.problem(pair.key as YNode, `unknown property \`${key}\` in \`!foreach\`: expected items, separator, param, do`);
    }
    if (!itemsNode || !doNode) {
      cx.problem(node, '`!foreach` needs both `items` and `do`');
      return node;
    }
    let items: string[];
    const resolvedItems = cx.deref(itemsNode);
    if (isSeq(resolvedItems)) {
      items = (resolvedItems.items as YNode[]).map((item) => {
        const resolved = cx.deref(item);
        return isScalar(resolved) ? String(resolved.value ?? '') : '';
      });
    } else if (isScalar(resolvedItems)) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(separator);
      } catch {
        cx.problem(node, `\`!foreach\` separator \`${separator}\` is not a valid regular expression`);
        return node;
      }
      items = String(resolvedItems.value ?? '').split(pattern).map((s) => s.trim()).filter((s) => s !== '');
    } else {
      cx.problem(itemsNode, '`!foreach` items must be a list or a text to split with `separator`');
      return node;
    }
    const out = withRange(new YAMLSeq(), node);
    for (const item of items) {
      const copy = (doNode as unknown as { clone(): YNode }).clone();
      out.items.push(expandValue(copy, { ...scope, [param]: item }));
    }
    return out;
  };

  if (doc.contents) doc.contents = expandValue(doc.contents as YNode, params) as typeof doc.contents;
  return { params: referenced };
}

/** Hyperfoil refuses to redefine an anchor; YAML itself would silently let the later one win. */
function checkAnchors(doc: Document, cx: SourceContext): void {
  const seen = new Set<string>();
  visit(doc, (_key, node) => {
    const anchor = (node as { anchor?: string }).anchor;
    if (!anchor) return;
    if (seen.has(anchor)) cx.problem(node as unknown as YNode, `anchor \`&${anchor}\` is defined twice: use a different name`);
    seen.add(anchor);
  });
}
