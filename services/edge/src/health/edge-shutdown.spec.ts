import { EventEmitter } from 'node:events';
import { EdgeShutdown } from './edge-shutdown';

type Hook = (request: unknown, reply: unknown, done: () => void) => void;

/** A fastify stand-in: the onRequest hook, and requests whose responses close when told. */
function harness() {
  let hook: Hook | undefined;
  const shutdown = new EdgeShutdown();
  shutdown.register({ addHook: (_name: string, fn: Hook) => (hook = fn) } as never);
  const request = () => {
    const raw = new EventEmitter();
    const reply = { raw, request: { url: '/v1/chat/completions' }, sent: undefined as unknown, header: jest.fn(), status: jest.fn(), send: jest.fn() };
    reply.header.mockReturnValue(reply);
    reply.status.mockReturnValue(reply);
    let passed = false;
    hook!({}, reply, () => (passed = true));
    return { passed, reply, finish: () => raw.emit('close') };
  };
  return { shutdown, request };
}

describe('EdgeShutdown', () => {
  it('waits for requests in flight, and refuses new ones while draining', async () => {
    const { shutdown, request } = harness();
    const first = request();
    expect(first.passed).toBe(true);
    expect(shutdown.requestsInFlight).toBe(1);
    const drained = shutdown.drain(5_000);
    const late = request();
    expect(late.passed).toBe(false);
    expect(late.reply.status).toHaveBeenCalledWith(503);
    expect(late.reply.header).toHaveBeenCalledWith('connection', 'close');
    first.finish();
    await expect(drained).resolves.toEqual({ leftAtGrace: 0, cut: 0, left: 0 });
  });

  it('cuts the streams still running when the grace period ends', async () => {
    const { shutdown, request } = harness();
    const req = request();
    const stream = shutdown.openStream();
    stream.signal.addEventListener('abort', () => {
      stream.close();
      req.finish();
    });
    const result = await shutdown.drain(50, 1_000);
    expect(stream.signal.aborted).toBe(true);
    expect(result).toEqual({ leftAtGrace: 1, cut: 1, left: 0 });
    // A stream opening after the cut is cut at once.
    expect(shutdown.openStream().signal.aborted).toBe(true);
  });
});
