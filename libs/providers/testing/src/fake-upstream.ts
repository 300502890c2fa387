import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake upstream saw of one request. */
export interface SeenRequest {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type FakeUpstreamHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/**
 * A one-route stand-in for a provider's API on a free loopback port, for the adapters' specs: it records each
 * request (body read whole) and when a connection closes, and answers with whatever `handler` writes.
 */
export class FakeUpstream {
  readonly requests: SeenRequest[] = [];
  readonly closed: Promise<void>;
  handler: FakeUpstreamHandler = (_req, res) => res.end('{}');
  private markClosed!: () => void;
  private server!: Server;

  constructor() {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** Listens and returns the base URL, `http://127.0.0.1:<port>`. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const seen: SeenRequest = { method: req.method, url: req.url, headers: req.headers, body: '' };
      this.requests.push(seen);
      req.socket.once('close', () => this.markClosed());
      req.setEncoding('utf8');
      req.on('data', (part: string) => (seen.body += part));
      req.on('end', () => this.handler(req, res, seen));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Everything an async iterable yields, in order. */
export async function drain<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
