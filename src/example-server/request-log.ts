/** Receives one line per finished request (and per rejected connection) when the server is not quiet. */
export type RequestLogger = (line: string) => void;

/** Default sink: standard output. */
export const stdoutLogger: RequestLogger = (line) => {
  process.stdout.write(`${line}\n`);
};

/** `127.0.0.1 https "GET /path HTTP/2.0" 200 0.42ms`: enough to see what a benchmark sends. */
export function formatRequestLine(remote: string, scheme: string, method: string, target: string, httpVersion: string,
  status: number, elapsedMs: number): string {
  return `${remote} ${scheme} "${method} ${target} HTTP/${httpVersion}" ${status} ${elapsedMs.toFixed(2)}ms`;
}
