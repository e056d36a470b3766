// Test helper: a ParserSink that records everything, and a function feeding bytes in given pieces.

import { ResponseParser, type ParserSink } from './parser.js';

export interface RecordedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  keepAlive: boolean;
  bytes: number;
}

export interface ParseRecord {
  responses: RecordedResponse[];
  error: string | null;
  /** A response started (status seen) but did not complete. */
  partial: boolean;
}

export class RecordingSink implements ParserSink {
  readonly responses: RecordedResponse[] = [];
  error: string | null = null;
  parser!: ResponseParser;
  /** Per response index: was the request a HEAD. */
  headRequests: boolean[] = [];
  private status = 0;
  private headers: [string, string][] = [];
  private bodyParts: Buffer[] = [];
  private started = false;

  onResponseStatus(status: number): void {
    this.status = status;
    this.headers = [];
    this.bodyParts = [];
    this.started = true;
    this.parser.surfaceHeaders = true;
    this.parser.surfaceBody = true;
  }
  onResponseHeader(name: string, value: string): void {
    this.headers.push([name, value]);
  }
  onResponseHeadersEnd(): void {}
  onResponseBody(buf: Buffer, offset: number, length: number): void {
    // Copy: the slice is only valid during the call.
    this.bodyParts.push(Buffer.from(buf.subarray(offset, offset + length)));
  }
  onResponseComplete(keepAlive: boolean): void {
    this.responses.push({ status: this.status, headers: this.headers, body: Buffer.concat(this.bodyParts), keepAlive, bytes: this.parser.completedMessageBytes });
    this.started = false;
    this.parser.headRequest = this.headRequests[this.responses.length] ?? false;
  }
  onParseError(reason: string): void {
    if (this.error !== null) throw new Error(`second parse error reported: ${reason}`);
    this.error = reason;
  }
  get partial(): boolean {
    return this.started;
  }
}

/** Parses `input` delivered as the given pieces (cut points are offsets into input), then signals EOF when `eof`. */
export function parsePieces(input: Buffer, cuts: readonly number[], headRequests: boolean[] = [], eof = true): ParseRecord {
  const sink = new RecordingSink();
  const parser = new ResponseParser(sink);
  sink.parser = parser;
  sink.headRequests = headRequests;
  parser.headRequest = headRequests[0] ?? false;
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    if (cut > from) parser.execute(input.subarray(from, cut));
    from = Math.max(from, cut);
  }
  if (eof) parser.finish();
  return { responses: sink.responses, error: sink.error, partial: sink.partial };
}
