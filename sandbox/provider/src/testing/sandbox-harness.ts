// Test helpers for the sandbox's own specs: start it on a free port, steer it through the control API, and read
// the wire (SSE events, JSON arrays) the way a strict client would. Not used by the sandbox itself.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createSandboxServer, type RequestRecord, type SandboxServer } from '../sandbox-server';
import type { FaultRule } from '../shared/fault-rules';

export const TEST_API_KEY = 'sandbox-key';

export interface SandboxHarness {
  sandbox: SandboxServer;
  origin: string;
  close(): Promise<void>;
  /** Resets delays and faults and clears the request log. */
  reset(): Promise<void>;
  putSettings(settings: { latencyMs?: number; chunkDelayMs?: number; faults?: FaultRule[] }): Promise<Response>;
  requestLog(): Promise<RequestRecord[]>;
}

export async function startSandbox(): Promise<SandboxHarness> {
  const sandbox = createSandboxServer({ apiKey: TEST_API_KEY });
  const port = await sandbox.listen(0);
  const origin = `http://127.0.0.1:${port}`;
  const putSettings = (settings: object) => fetch(`${origin}/_sandbox/settings`, { method: 'PUT', body: JSON.stringify(settings) });
  return {
    sandbox,
    origin,
    close: () => sandbox.close(),
    async reset() {
      const res = await putSettings({ latencyMs: 0, chunkDelayMs: 0, faults: [] });
      if (res.status !== 200) throw new Error(`reset failed: ${res.status}`);
      await fetch(`${origin}/_sandbox/requests`, { method: 'DELETE' });
    },
    putSettings,
    async requestLog() {
      const res = await fetch(`${origin}/_sandbox/requests`);
      return ((await res.json()) as { requests: RequestRecord[] }).requests;
    },
  };
}

/** Every SSE event of a body, parsed by the same spec-compliant parser gateways use. */
export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(text);
  return events;
}

/** The `data` of every event, JSON-parsed. */
export function sseJson<T = Record<string, unknown>>(text: string): T[] {
  return parseSse(text).map((event) => JSON.parse(event.data) as T);
}

/** Polls the request log until `predicate` holds for the newest record, or a second passes. */
export async function waitForRecord(harness: SandboxHarness, predicate: (record: RequestRecord) => boolean): Promise<RequestRecord | undefined> {
  const deadline = Date.now() + 1000;
  while (Date.now() < deadline) {
    const records = await harness.requestLog();
    const found = records.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/** Resolves with what a read produced, or 'pending' if nothing arrived within `ms`. */
export async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>> | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
