/**
 * A small typed client of the controller's REST API (Hyperfoil's openapi.yaml), on node:http / node:https so that
 * `--insecure` can switch certificate checks off per connection. Every failure becomes a `ControllerError` whose
 * message says what happened and what to do: connection refused, TLS trouble, 401/403, timeouts, 4xx/5xx answers.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HyperfoilError } from '../../lib/index.js';
import type { RequestStatisticsResponse, RunJson, VersionJson } from '../../controller/index.js';
import { encodeMultipart, parseMultipart } from '../../lib/multipart.js';

/** Hyperfoil's `io.hyperfoil.cli.request.timeout` default. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ControllerAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

export interface ClientOptions extends ControllerAddress {
  readonly password?: string;
  /** Accept any certificate (self-signed, wrong host name). */
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
}

/** Why a request failed; `status` is the HTTP status when the controller answered. */
export class ControllerError extends HyperfoilError {
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Milliseconds since the epoch when the request was sent and when the answer was complete. */
  readonly sentMs: number;
  readonly receivedMs: number;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly signal?: AbortSignal;
  /** Statuses the caller handles itself (no ControllerError for them). */
  readonly accept?: readonly number[];
}

export type MinMax = { readonly min: number; readonly max: number };
export type SessionStats = Readonly<Record<string, Readonly<Record<string, MinMax>>>>;
export type ConnectionStats = Readonly<Record<string, Readonly<Record<string, MinMax>>>>;

export interface BenchmarkSource {
  readonly text: string;
  /** The ETag, without quotes: send it back as `if-match` when uploading an edit. */
  readonly version: string | undefined;
}

export interface Structure {
  readonly params: Readonly<Record<string, string | null>>;
  readonly content: unknown;
}

export interface UploadResult {
  readonly name: string;
  readonly version: string | undefined;
}

export interface LogSlice {
  readonly text: string;
  /** Identifies the log file; send it back as `if-match` with the next offset. */
  readonly id: string | undefined;
}

function hint(code: string | undefined, address: string, tls: boolean): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to the controller at ${address}: connection refused. Is a controller running there? `
        + 'Start one with `start-local` (inside this shell) or `hyperfoil standalone`, or give its address to `connect`.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to the controller at ${address}: the host name does not resolve`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot connect to the controller at ${address}: the host is unreachable`;
    case 'ECONNRESET':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
      return `the connection to ${address} broke off${tls ? '' : ' (if the controller uses TLS, connect with --tls)'}`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS handshake with ${address} failed: the controller does not seem to speak TLS; connect without --tls`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate of ${address} is not trusted (${code}); if you trust this controller anyway, connect with --insecure (-k)`;
    default:
      return `request to ${address} failed${code ? ` (${code})` : ''}`;
  }
}

function firstLine(body: Buffer): string {
  const text = body.toString('utf8').trim();
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

function unquote(etag: string | string[] | undefined): string | undefined {
  if (typeof etag !== 'string') return undefined;
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export class ControllerClient {
  readonly address: ControllerAddress;
  private readonly authorization: string | undefined;

  constructor(private readonly options: ClientOptions) {
    this.address = { host: options.host, port: options.port, tls: options.tls };
    this.authorization = options.password === undefined ? undefined
      : `Basic ${Buffer.from(`hyperfoil:${options.password}`, 'utf8').toString('base64')}`;
  }

  /** `http(s)://host:port`. */
  get url(): string {
    const host = this.options.host.includes(':') && !this.options.host.startsWith('[') ? `[${this.options.host}]` : this.options.host;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.options.port}`;
  }

  get hasPassword(): boolean {
    return this.authorization !== undefined;
  }

  /** One request; throws ControllerError unless the status is 2xx/3xx or listed in `accept`. */
  request(path: string, options: RequestOptions = {}): Promise<Answer> {
    const method = options.method ?? 'GET';
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const headers: Record<string, string> = { ...options.headers };
    if (this.authorization) headers.authorization = this.authorization;
    if (options.body) headers['content-length'] = String(options.body.length);
    const send = this.options.tls ? httpsRequest : httpRequest;
    const what = `${method} ${path.split('?')[0]}`;
    return new Promise<Answer>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new ControllerError('INTERRUPTED', 'interrupted'));
        return;
      }
      const sentMs = Date.now();
      let settled = false;
      const finish = (error: ControllerError | undefined, answer?: Answer): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(answer!);
      };
      const req = send({
        host: this.options.host,
        port: this.options.port,
        method,
        path,
        headers,
        agent: false,
        ...(this.options.tls ? { rejectUnauthorized: !this.options.insecure, servername: isIp(this.options.host) ? '' : this.options.host } : {}),
      }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => finish(new ControllerError('CONNECTION',
          hint(error.code, this.url, this.options.tls), undefined, { cause: error })));
        res.on('end', () => {
          const answer: Answer = {
            status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), sentMs, receivedMs: Date.now(),
          };
          finish(this.check(answer, what, options.accept ?? []), answer);
        });
      });
      const onAbort = (): void => {
        finish(new ControllerError('INTERRUPTED', 'interrupted'));
        req.destroy();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(timeoutMs, () => {
        finish(new ControllerError('TIMEOUT',
          `the controller at ${this.url} did not answer ${what} within ${timeoutMs / 1000} s; is it overloaded or stuck? `
          + '(set IO_HYPERFOIL_CLI_REQUEST_TIMEOUT in ms to wait longer)'));
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? (/wrong version number/i.test(error.message) ? 'EPROTO' : undefined);
        finish(new ControllerError('CONNECTION', hint(code, this.url, this.options.tls), undefined, { cause: error }));
      });
      req.end(options.body);
    });
  }

  private check(answer: Answer, what: string, accepted: readonly number[]): ControllerError | undefined {
    const { status } = answer;
    if ((status >= 200 && status < 400) || accepted.includes(status)) return undefined;
    const message = firstLine(answer.body);
    if (status === 401) {
      return new ControllerError('UNAUTHORIZED', this.authorization
        ? `the controller at ${this.url} refused the credentials (401): ${message}`
        : `the controller at ${this.url} needs a password (401): connect with --password PASSWORD (or set HYPERFOIL_PASSWORD)`, status);
    }
    if (status === 403 && this.authorization && /password|token/i.test(message)) {
      return new ControllerError('FORBIDDEN', `the controller at ${this.url} rejected the password (403): connect again with the right --password`, status);
    }
    return new ControllerError(`HTTP_${status}`, message !== '' ? message : `${what} answered ${status}`, status);
  }

  private async json<T>(path: string, signal?: AbortSignal): Promise<T> {
    const answer = await this.request(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
    return parsedJson<T>(answer, path);
  }

  version(signal?: AbortSignal): Promise<Answer> {
    return this.request('/version', { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  }

  benchmarks(signal?: AbortSignal): Promise<string[]> {
    return this.json<string[]>('/benchmark', signal);
  }

  templates(signal?: AbortSignal): Promise<string[]> {
    return this.json<string[]>('/template', signal);
  }

  /** Uploads the YAML and its data files (multipart, parts named `file` with the name as written). */
  async upload(text: string, files: ReadonlyMap<string, Buffer>, options: {
    fileName?: string; ifMatch?: string; storedFilesBenchmark?: string;
  } = {}): Promise<UploadResult> {
    const parts = [
      { name: 'benchmark', filename: options.fileName ?? 'benchmark.hf.yaml', contentType: 'text/vnd.yaml', data: Buffer.from(text, 'utf8') },
      ...[...files].map(([name, data]) => ({ name: 'file', filename: name, data })),
    ];
    const { contentType, body } = encodeMultipart(parts);
    const query = options.storedFilesBenchmark ? `?storedFilesBenchmark=${encodeURIComponent(options.storedFilesBenchmark)}` : '';
    const answer = await this.request(`/benchmark${query}`, {
      method: 'POST', body,
      headers: { 'content-type': contentType, ...(options.ifMatch ? { 'if-match': `"${options.ifMatch}"` } : {}) },
    });
    const location = answer.headers.location ?? '';
    const name = decodeURIComponent(location.slice(location.lastIndexOf('/') + 1));
    return { name, version: unquote(answer.headers.etag) };
  }

  /** Has the controller read a benchmark from its own load directory (`text/uri-list`); its stored name. */
  async loadOnController(uri: string): Promise<UploadResult> {
    const answer = await this.request('/benchmark', { method: 'POST', body: Buffer.from(`${uri}\n`, 'utf8'), headers: { 'content-type': 'text/uri-list' } });
    const location = answer.headers.location ?? '';
    return { name: decodeURIComponent(location.slice(location.lastIndexOf('/') + 1)), version: unquote(answer.headers.etag) };
  }

  /** The source of a benchmark; `undefined` when there is none of that name. */
  async benchmarkSource(name: string, signal?: AbortSignal): Promise<BenchmarkSource | undefined> {
    const answer = await this.request(`/benchmark/${encodeURIComponent(name)}`, {
      headers: { accept: 'text/vnd.yaml' }, accept: [404], ...(signal ? { signal } : {}),
    });
    if (answer.status === 404) return undefined;
    return { text: answer.body.toString('utf8'), version: unquote(answer.headers.etag) };
  }

  /** The data files stored with a benchmark, by their stored (flattened) names. */
  async benchmarkFiles(name: string): Promise<Map<string, Buffer>> {
    const answer = await this.request(`/benchmark/${encodeURIComponent(name)}/files`, { headers: { accept: 'multipart/form-data' } });
    const files = new Map<string, Buffer>();
    for (const part of parseMultipart(answer.body, answer.headers['content-type'])) {
      if (part.filename !== undefined) files.set(part.filename, part.data);
    }
    return files;
  }

  async forget(name: string): Promise<boolean> {
    const answer = await this.request(`/benchmark/${encodeURIComponent(name)}`, { method: 'DELETE', accept: [404] });
    return answer.status !== 404;
  }

  structure(name: string, params: Readonly<Record<string, string>>, maxCollectionSize: number): Promise<Structure> {
    const query = new URLSearchParams({ maxCollectionSize: String(maxCollectionSize) });
    for (const [key, value] of Object.entries(params)) query.append('templateParam', `${key}=${value}`);
    return this.json<Structure>(`/benchmark/${encodeURIComponent(name)}/structure?${query.toString()}`);
  }

  /**
   * Starts a run; with a CI trigger set on the controller (or the benchmark) the run is only requested: the answer
   * is then the reserved id and the URL of the CI job that will start it.
   */
  async start(name: string, description: string | undefined, params: Readonly<Record<string, string>>): Promise<RunJson | { triggered: { id: string; location: string } }> {
    const query = new URLSearchParams();
    if (description !== undefined) query.set('desc', description);
    for (const [key, value] of Object.entries(params)) query.append('templateParam', `${key}=${value}`);
    const text = query.toString();
    const path = `/benchmark/${encodeURIComponent(name)}/start${text ? `?${text}` : ''}`;
    const answer = await this.request(path, { accept: [301] });
    if (answer.status === 301) {
      return { triggered: { id: String(answer.headers['x-run-id'] ?? ''), location: String(answer.headers.location ?? '') } };
    }
    return parsedJson<RunJson>(answer, path);
  }

  runs(signal?: AbortSignal): Promise<RunJson[]> {
    return this.json<RunJson[]>('/run?details=true', signal);
  }

  run(id: string, signal?: AbortSignal): Promise<RunJson> {
    return this.json<RunJson>(`/run/${encodeURIComponent(id)}`, signal);
  }

  async kill(id: string): Promise<string> {
    return (await this.request(`/run/${encodeURIComponent(id)}/kill`)).body.toString('utf8');
  }

  runBenchmark(id: string): Promise<Answer> {
    return this.request(`/run/${encodeURIComponent(id)}/benchmark`, { headers: { accept: 'text/vnd.yaml' } });
  }

  stats(id: string, which: 'recent' | 'total', signal?: AbortSignal): Promise<RequestStatisticsResponse> {
    return this.json<RequestStatisticsResponse>(`/run/${encodeURIComponent(id)}/stats/${which}`, signal);
  }

  /** The full export: `undefined` while the run has not finished (the controller answers 303). */
  async statsAll(id: string, format: 'json' | 'csv'): Promise<Buffer | undefined> {
    const answer = await this.request(`/run/${encodeURIComponent(id)}/stats/all/${format}`, { accept: [303] });
    return answer.status === 303 ? undefined : answer.body;
  }

  /** The HTML report: `undefined` while the run has not finished (the controller answers 303). */
  async report(id: string): Promise<Buffer | undefined> {
    const answer = await this.request(`/run/${encodeURIComponent(id)}/report`, { accept: [303] });
    return answer.status === 303 ? undefined : answer.body;
  }

  sessions(id: string, which: 'recent' | 'total', signal?: AbortSignal): Promise<SessionStats> {
    return this.json<SessionStats>(`/run/${encodeURIComponent(id)}/sessions/${which}`, signal);
  }

  connections(id: string, which: 'recent' | 'total', signal?: AbortSignal): Promise<ConnectionStats> {
    return this.json<ConnectionStats>(`/run/${encodeURIComponent(id)}/connections/${which}`, signal);
  }

  agentCpu(id: string): Promise<Record<string, Record<string, string>>> {
    return this.json<Record<string, Record<string, string>>>(`/run/${encodeURIComponent(id)}/agentCpu`);
  }

  /** A slice of the controller's (or an agent's) log from `offset`; a changed log id restarts at 0. */
  async log(agent: string | undefined, offset: number, id: string | undefined): Promise<LogSlice> {
    const path = agent === undefined ? '/log' : `/log/${encodeURIComponent(agent)}`;
    const answer = await this.request(`${path}?offset=${offset}`, { headers: id ? { 'if-match': `"${id}"` } : {} });
    return { text: answer.body.toString('utf8'), id: unquote(answer.headers.etag) };
  }

  async shutdown(force: boolean): Promise<void> {
    await this.request(`/shutdown${force ? '?force=true' : ''}`);
  }
}

export function parseVersion(answer: Answer): VersionJson {
  try {
    return JSON.parse(answer.body.toString('utf8')) as VersionJson;
  } catch {
    throw new ControllerError('BAD_ANSWER', 'the controller answered GET /version with something that is not JSON: is this a Hyperfoil controller?');
  }
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/** The JSON body of an answer to GET `path`. */
function parsedJson<T>(answer: Answer, path: string): T {
  try {
    return JSON.parse(answer.body.toString('utf8')) as T;
  } catch {
    throw new ControllerError('BAD_ANSWER', `the controller answered GET ${path.split('?')[0]} with something that is not JSON`);
  }
}
