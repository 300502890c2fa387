// The last N provider-facing requests the sandbox received, so tests can assert what the gateway sent upstream
// and whether a stream it cancelled was really cut. Control-API calls are never recorded.
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './fault-rules';
import type { WireFormat } from './wire-format';

export interface RequestRecord {
  /** ISO-8601 time the request arrived. */
  at: string;
  method: string;
  /** Path and query string as requested (deployment prefix included), credentials in the query redacted. */
  path: string;
  /** The `<name>` of a `/d/<name>/...` prefix, or null. */
  deployment: string | null;
  /** The wire format whose route answered; null for unknown paths. */
  format: WireFormat | null;
  headers: Record<string, string | string[]>;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
  /** HTTP status sent, null until the head is written. */
  status: number | null;
  /** True when the client went away before the response was complete. */
  aborted: boolean;
  /** Stream events written (SSE events, the final `[DONE]` included, or JSON-array elements); 0 for plain responses. */
  chunksSent: number;
  /** The kind of the fault rule applied to this request, or null. */
  fault: FaultKind | null;
}

export const DEFAULT_REQUEST_LOG_SIZE = 200;

// Headers and query parameters that carry credentials in the formats the sandbox speaks or will speak
// (OpenAI and Azure, Anthropic, Gemini). Kept to a short prefix: enough to tell keys apart, not to reuse one.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'x-goog-api-key']);
const SECRET_QUERY_PARAMS = ['key', 'api_key', 'api-key'];
const VISIBLE_SECRET_CHARS = 6;

/** `Bearer sk-abcdef…` keeps the scheme and the first 6 characters of the credential itself. */
export function redactSecret(value: string): string {
  const match = /^(\w+\s+)(.*)$/s.exec(value);
  const [scheme, secret] = match ? [match[1], match[2]] : ['', value];
  return `${scheme}${secret.slice(0, VISIBLE_SECRET_CHARS)}***`;
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!SECRET_HEADERS.has(name)) out[name] = value;
    else out[name] = Array.isArray(value) ? value.map(redactSecret) : redactSecret(value);
  }
  return out;
}

export function redactPath(url: URL): string {
  const query = new URLSearchParams(url.search);
  for (const name of SECRET_QUERY_PARAMS) {
    const value = query.get(name);
    if (value !== null) query.set(name, redactSecret(value));
  }
  const search = query.toString();
  return search ? `${url.pathname}?${search}` : url.pathname;
}

export function parseRecordedBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export class RequestLog {
  private readonly records: RequestRecord[] = [];

  constructor(private readonly capacity = DEFAULT_REQUEST_LOG_SIZE) {}

  /** Adds a record and returns it; the caller keeps mutating it (status, aborted, chunksSent) as the response goes. */
  add(record: RequestRecord): RequestRecord {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    return record;
  }

  /** Oldest first. */
  list(): readonly RequestRecord[] {
    return this.records;
  }

  clear(): void {
    this.records.length = 0;
  }
}
