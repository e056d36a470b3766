/**
 * Where the HTTP steps write the few things they log (the `logInvalid` handlers). One line per call; replaceable
 * by the host (or a test) with `setHttpLog`.
 */

export type HttpLogSink = (line: string) => void;

let sink: HttpLogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function setHttpLog(next: HttpLogSink): HttpLogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function httpLog(line: string): void {
  sink(line);
}
