import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseWriter } from './sse-writer';

/** Just enough of a ServerResponse to control what write() reports. */
class FakeResponse extends EventEmitter {
  frames: string[] = [];
  socketFull = false;
  writeHead = jest.fn();
  flushHeaders = jest.fn();
  write(frame: string): boolean {
    this.frames.push(frame);
    return !this.socketFull;
  }
}

function settled(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20))]);
}

describe('SseWriter', () => {
  it('frames events as SSE and counts them', async () => {
    const res = new FakeResponse();
    const counts: number[] = [];
    const sse = new SseWriter(res as unknown as ServerResponse, new AbortController().signal, (n) => counts.push(n));
    await sse.send('{"a":1}');
    await sse.send('hi', 'message_start');
    expect(res.frames).toEqual(['data: {"a":1}\n\n', 'event: message_start\ndata: hi\n\n']);
    expect(counts).toEqual([1, 2]);
  });

  it('waits for drain when the socket buffer is full', async () => {
    const res = new FakeResponse();
    res.socketFull = true;
    const sending = new SseWriter(res as unknown as ServerResponse, new AbortController().signal).send('x');
    expect(await settled(sending)).toBe(false);
    res.emit('drain');
    expect(await settled(sending)).toBe(true);
  });

  it('gives up waiting, and refuses to write, once the client is gone', async () => {
    const res = new FakeResponse();
    res.socketFull = true;
    const disconnect = new AbortController();
    const sse = new SseWriter(res as unknown as ServerResponse, disconnect.signal);
    const sending = sse.send('x');
    disconnect.abort();
    await expect(sending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(sse.send('y')).rejects.toMatchObject({ name: 'AbortError' });
    expect(res.frames).toEqual(['data: x\n\n']);
  });
});
