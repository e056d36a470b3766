/**
 * Where in an extension's own source an error was thrown while its compiled module loaded: the first stack frame
 * inside the compiled file, mapped back through the inline source map esbuild wrote into it.
 */
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `file:line:column` of the original source, or of the compiled file when it has no map; undefined when not found. */
export function sourcePositionOf(error: unknown, compiledFile: string, compiledText: string): string | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const url = pathToFileURL(compiledFile).href;
  const frame = new RegExp(`${escapeRegExp(url)}(?:\\?[^:]*)?:(\\d+):(\\d+)`).exec(stack);
  if (!frame) return undefined;
  const line = Number(frame[1]);
  const column = Number(frame[2]);
  const inline = INLINE_MAP.exec(compiledText);
  if (!inline?.[1]) return `${compiledFile}:${line}:${column}`;
  try {
    const payload = JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')) as SourceMapPayload;
    const entry = new SourceMap(payload).findEntry(line - 1, column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return `${compiledFile}:${line}:${column}`;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource)
      : resolve(dirname(compiledFile), payload.sourceRoot ?? '', entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  } catch {
    return `${compiledFile}:${line}:${column}`;
  }
}
