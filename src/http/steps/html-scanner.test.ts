import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlScanner, HtmlScanState } from './html-scanner.js';
import type { HtmlListener } from './html-scanner.js';
import { parseRefresh } from './meta-refresh.js';

const DOC = `<!DOCTYPE html><?xml x?><html><head>
<meta http-equiv="refresh" content="5; url=/next">
<style>a > b { x: '<a href="/no">' }</style>
<script type="text/javascript">if (1 < 2 && "</scr" + "ipt>") { x = '<a href=/no2>'; }</script >
</head><body>
<!-- <a href="/commented"> -- still a comment -->
<A HREF="/one" class=x>one</A>
<a
  data-x='y'
  href='/two'>two</a>
<a href=/three>three</a><a title="no href">none</a>
<img src="/i.png"/><a href="" >empty</a><a href>bare</a>
<a href="/u/&amp;x">entity</a>
</body></html>`;

class Recorder implements HtmlListener {
  readonly events: string[] = [];
  onTagStart(tag: number): void { this.events.push(`<${tag}`); }
  onAttribute(tag: number, attribute: number, value: Buffer, length: number): void {
    this.events.push(`${tag}.${attribute}=${value.toString('utf8', 0, length)}`);
  }
  onTagEnd(tag: number): void { this.events.push(`${tag}>`); }
}

const scanner = new HtmlScanner([{ tag: 'a', attributes: ['href'] }, { tag: 'meta', attributes: ['http-equiv', 'content'] }]);

function scanInParts(text: string, cut: number[]): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const recorder = new Recorder();
  const state = new HtmlScanState();
  let at = 0;
  for (const c of [...cut, bytes.length]) {
    scanner.scan(state, recorder, bytes, at, c - at);
    at = c;
  }
  return recorder.events;
}

const EXPECTED = [
  '<1', '1.0=refresh', '1.1=5; url=/next', '1>',
  '<0', '0.0=/one', '0>',
  '<0', '0.0=/two', '0>',
  '<0', '0.0=/three', '0>',
  '<0', '0>',
  '<0', '0.0=', '0>',
  '<0', '0.0=', '0>',
  '<0', '0.0=/u/&amp;x', '0>',
];

test('reports wanted attributes, skipping comments, declarations and script/style text', () => {
  assert.deepEqual(scanInParts(DOC, []), EXPECTED);
});

test('the result does not depend on where the body is split (every single split point)', () => {
  const length = Buffer.byteLength(DOC);
  for (let cut = 1; cut < length; cut++) assert.deepEqual(scanInParts(DOC, [cut]), EXPECTED, `split at ${cut}`);
});

test('byte-by-byte feeding gives the same events', () => {
  const length = Buffer.byteLength(DOC);
  assert.deepEqual(scanInParts(DOC, Array.from({ length: length - 1 }, (_, i) => i + 1)), EXPECTED);
});

test('meta refresh content: delay and URL forms', () => {
  assert.deepEqual(parseRefresh('5; url=/next'), { delayMs: 5000, url: '/next' });
  assert.deepEqual(parseRefresh('0;URL=\'http://h/x\''), { delayMs: 0, url: 'http://h/x' });
  assert.deepEqual(parseRefresh(' 2 , url = "/q?a=1" '), { delayMs: 2000, url: '/q?a=1' });
  assert.equal(parseRefresh('30'), null, 'a page refreshing itself is not followed');
});
