/**
 * Finds `<meta http-equiv="refresh" content="5; url=/next">` in an HTML response (for `followRedirect: HTML_ONLY`
 * and `ALWAYS`). One detector per request context; the first refresh with a URL wins.
 */
import { HtmlScanner, HtmlScanState } from './html-scanner.js';
import type { HtmlListener } from './html-scanner.js';

const SCANNER = new HtmlScanner([{ tag: 'meta', attributes: ['http-equiv', 'content'] }]);

export class MetaRefreshDetector implements HtmlListener {
  private readonly state = new HtmlScanState();
  private isRefresh = false;
  private content: string | null = null;
  /** The refresh target, or null. */
  url: string | null = null;
  delayMs = 0;

  reset(): void {
    this.state.reset();
    this.isRefresh = false;
    this.content = null;
    this.url = null;
    this.delayMs = 0;
  }

  feed(data: Buffer, offset: number, length: number): void {
    if (this.url !== null) return;
    SCANNER.scan(this.state, this, data, offset, length);
  }

  onTagStart(): void {
    this.isRefresh = false;
    this.content = null;
  }

  onAttribute(_tag: number, attribute: number, value: Buffer, length: number): void {
    const text = value.toString('latin1', 0, length);
    if (attribute === 0) this.isRefresh = text.trim().toLowerCase() === 'refresh';
    else this.content = text;
  }

  onTagEnd(): void {
    if (!this.isRefresh || this.content === null || this.url !== null) return;
    const parsed = parseRefresh(this.content);
    if (parsed !== null) {
      this.url = parsed.url;
      this.delayMs = parsed.delayMs;
    }
  }
}

/** `5; url=/next` → { delayMs: 5000, url: '/next' }; null without a URL (a page reloading itself is not followed). */
export function parseRefresh(content: string): { delayMs: number; url: string } | null {
  const match = /^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/is.exec(content);
  if (match === null) return null;
  let url = (match[2] ?? '').trim();
  if ((url.startsWith('"') && url.endsWith('"')) || (url.startsWith("'") && url.endsWith("'"))) url = url.slice(1, -1).trim();
  if (url === '') return null;
  const seconds = match[1] === undefined ? 0 : Number(match[1]);
  return { delayMs: Math.max(0, Math.round(seconds * 1000)), url };
}
