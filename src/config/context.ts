/**
 * What a decoder needs besides the node: where to report problems and warnings, how to resolve aliases,
 * and how to load the data files a benchmark names (relative to the YAML file).
 */
import { readFileSync, statSync } from 'node:fs';
import { MAX_FILE_BYTES } from './limits.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isAlias } from 'yaml';
import type { Document, LineCounter, Node as YNode } from 'yaml';
import type { Problem } from '../lib/index.js';
import { emptyNodeAt } from './codec.js';

/** Guards against YAML bombs (aliases of aliases that expand exponentially). */
const MAX_ALIASES_FOLLOWED = 100_000;

export interface DecodeContext {
  /** Record a problem at the node's position; decoding goes on so that every problem is reported. */
  problem(node: YNode, message: string): void;
  /** Record a problem at a position kept from decoding (`Component.at`, `file:line:column`). */
  problemAt(at: string, message: string): void;
  warn(node: YNode, message: string): void;
  /** Follow aliases (`*name`) to the anchored node. */
  deref(node: YNode): YNode;
  /** `file:line:column` of a node. */
  positionOf(node: YNode): string;
  /**
   * A data file named in the benchmark: loaded once, kept in `files` under the name as written, so it can be
   * uploaded with the benchmark. A missing file is a problem at the node.
   */
  loadFile(name: string, node: YNode): Buffer | undefined;
}

/** Files given in memory (uploaded with a benchmark); when given, the disk is never read. */
export type FileSource = (name: string) => Buffer | undefined;

export class SourceContext implements DecodeContext {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  readonly files = new Map<string, Buffer>();
  private readonly baseDir: string;
  private aliasesFollowed = 0;
  private aliasBomb = false;

  constructor(
    readonly fileName: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly providedFiles?: FileSource,
  ) {
    this.baseDir = dirname(resolve(fileName));
  }

  at(node: YNode | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  problem(node: YNode, message: string): void {
    if (this.aliasBomb) return; // one message is enough; what follows is noise from the truncated tree
    this.problems.push({ file: this.fileName, ...this.at(node), message });
  }

  problemAt(at: string, message: string): void {
    if (this.aliasBomb) return;
    const match = /:(\d+):(\d+)$/.exec(at);
    this.problems.push({ file: this.fileName, line: Number(match?.[1] ?? 1), column: Number(match?.[2] ?? 1), message });
  }

  warn(node: YNode, message: string): void {
    this.warnings.push({ file: this.fileName, ...this.at(node), message });
  }

  deref(node: YNode): YNode {
    let current: YNode = node;
    for (let depth = 0; isAlias(current) && depth < 100; depth++) {
      if (++this.aliasesFollowed > MAX_ALIASES_FOLLOWED) {
        if (!this.aliasBomb) this.problem(current, `more than ${MAX_ALIASES_FOLLOWED} aliases followed: is this a YAML bomb (aliases of aliases)?`);
        this.aliasBomb = true;
        return emptyNodeAt(current);
      }
      const target = current.resolve(this.doc);
      if (!target) return current;
      current = target as YNode;
    }
    return current;
  }

  positionOf(node: YNode): string {
    const { line, column } = this.at(node);
    return `${this.fileName}:${line}:${column}`;
  }

  loadFile(name: string, node: YNode): Buffer | undefined {
    const cached = this.files.get(name);
    if (cached) return cached;
    if (this.providedFiles) {
      // Files travel with the benchmark (an upload, an agent's share): never read the local disk.
      const provided = this.providedFiles(name);
      if (provided) {
        this.files.set(name, provided);
        return provided;
      }
      this.problem(node, `data file \`${name}\` was not uploaded with the benchmark: upload it together with the YAML`);
      return undefined;
    }
    const path = isAbsolute(name) ? name : resolve(this.baseDir, name);
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      if (stat.size > MAX_FILE_BYTES.value) {
        this.problem(node, `data file \`${name}\` has ${stat.size} bytes, above ${MAX_FILE_BYTES.name} = ${MAX_FILE_BYTES.value} bytes; use a smaller file`);
        return undefined;
      }
      const content = readFileSync(path);
      this.files.set(name, content);
      return content;
    } catch {
      this.problem(node, `cannot read data file \`${name}\` (looked for ${path}): files are resolved relative to the benchmark file`);
      return undefined;
    }
  }
}
