import { createServer, connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DeadlineExceededError, withDeadline } from './deadline';

const never = () => new Promise<never>(() => undefined);
const busyWait = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* the event loop is blocked, as during a burst of calls */
  }
};

describe('withDeadline', () => {
  it('passes a timely result or error through', async () => {
    await expect(withDeadline(Promise.resolve(7), 15)).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('boom')), 15)).rejects.toThrow('boom');
  });

  it('rejects with DeadlineExceededError after the budget, not long after', async () => {
    const started = performance.now();
    const error = await withDeadline(never(), 15).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(elapsed).toBeGreaterThanOrEqual(14);
    expect(elapsed).toBeLessThan(40);
  });

  it('still takes a reply that reached the socket while the event loop was blocked past the deadline', async () => {
    // A loopback pair: the peer's write lands in the kernel's buffer at once; only the blocked loop keeps it unread.
    let peer: Socket | undefined;
    const server = createServer((socket) => (peer = socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    while (!peer) await new Promise((resolve) => setImmediate(resolve));
    try {
      const reply = new Promise<string>((resolve) => client.once('data', (data) => resolve(data.toString())));
      const answer = withDeadline(reply, 5);
      peer.write('pong');
      busyWait(30);
      await expect(answer).resolves.toBe('pong');
    } finally {
      client.destroy();
      peer.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
