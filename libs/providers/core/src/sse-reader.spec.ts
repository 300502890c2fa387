import type { EventSourceMessage } from 'eventsource-parser';
import { readServerSentEvents } from './sse-reader';

type Chunk = Buffer | Uint8Array | string;

async function* chunks(parts: Chunk[]): AsyncGenerator<Chunk> {
  for (const part of parts) yield part;
}

async function collect(parts: Chunk[]): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  for await (const event of readServerSentEvents(chunks(parts))) events.push(event);
  return events;
}

/** Splits bytes at every given offset. */
function splitAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    out.push(bytes.subarray(start, offset));
    start = offset;
  }
  out.push(bytes.subarray(start));
  return out;
}

const data = (events: EventSourceMessage[]) => events.map((e) => e.data);

describe('readServerSentEvents', () => {
  const stream = Buffer.from('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n', 'utf8');

  it('reads whole events from one chunk', async () => {
    expect(data(await collect([stream]))).toEqual(['{"n":1}', '{"n":2}', '[DONE]']);
  });

  it('gives the same events for every split into two chunks', async () => {
    for (let offset = 1; offset < stream.length; offset++) {
      expect(data(await collect(splitAt(stream, [offset])))).toEqual(['{"n":1}', '{"n":2}', '[DONE]']);
    }
  });

  it('gives the same events when fed one byte at a time', async () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(data(await collect(bytes))).toEqual(['{"n":1}', '{"n":2}', '[DONE]']);
  });

  it('reads events split mid-line and between the two newlines that end an event', async () => {
    const events = await collect(['da', 'ta: hel', 'lo\n', '\nda', 'ta: world\n', '\n']);
    expect(data(events)).toEqual(['hello', 'world']);
  });

  it('reassembles a multi-byte UTF-8 character split across chunks', async () => {
    const text = 'data: {"content":"héllo 👋 世界"}\n\n';
    const bytes = Buffer.from(text, 'utf8');
    const emoji = bytes.indexOf(Buffer.from('👋', 'utf8'));
    const han = bytes.indexOf(Buffer.from('世', 'utf8'));
    const e = bytes.indexOf(Buffer.from('é', 'utf8'));

    const events = await collect(splitAt(bytes, [e + 1, emoji + 1, emoji + 2, emoji + 3, han + 2]));

    expect(data(events)).toEqual(['{"content":"héllo 👋 世界"}']);
    expect(data(events)[0]).not.toContain('\uFFFD');
  });

  it('accepts Uint8Array and string chunks', async () => {
    const events = await collect([new Uint8Array(Buffer.from('data: a\n\n')), 'data: b\n\n']);
    expect(data(events)).toEqual(['a', 'b']);
  });

  it('skips comments and keeps event names, ids and multi-line data', async () => {
    const events = await collect([': keep-alive\n\n', 'event: message_start\nid: 7\ndata: {"a":1}\n\n', ': ping\n', 'data: line one\ndata: line two\n\n']);

    expect(events).toEqual([
      { event: 'message_start', id: '7', data: '{"a":1}' },
      { event: undefined, id: undefined, data: 'line one\nline two' },
    ]);
  });

  it('reads CRLF line endings, even with \\r and \\n in different chunks', async () => {
    const events = await collect(['data: a\r', '\n\r', '\ndata: b\r\n\r\n']);
    expect(data(events)).toEqual(['a', 'b']);
  });

  it.each([
    ['no newline at all', 'data: a\n\ndata: last'],
    ['a single newline', 'data: a\n\ndata: last\n'],
  ])('yields a final event ended by %s', async (_label, text) => {
    expect(data(await collect([text]))).toEqual(['a', 'last']);
  });

  it('yields nothing for an empty body or one with only comments', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect([': only\n\n', ''])).toEqual([]);
  });

  it('yields each event before pulling the next chunk', async () => {
    const log: string[] = [];
    async function* body(): AsyncGenerator<string> {
      log.push('pull 1');
      yield 'data: one\n\ndata: tw';
      log.push('pull 2');
      yield 'o\n\n';
      log.push('pull 3');
      yield 'data: three\n\n';
      log.push('end');
    }

    for await (const event of readServerSentEvents(body())) log.push(`event ${event.data}`);

    expect(log).toEqual(['pull 1', 'event one', 'pull 2', 'event two', 'pull 3', 'event three', 'end']);
  });

  it('does not read ahead while the consumer holds an event', async () => {
    let pulls = 0;
    async function* body(): AsyncGenerator<string> {
      for (const part of ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']) {
        pulls += 1;
        yield part;
      }
    }
    const events = readServerSentEvents(body());

    const first = await events.next();
    await new Promise((resolve) => setImmediate(resolve));

    expect(first.value?.data).toBe('1');
    expect(pulls).toBe(1);
    await events.return(undefined);
  });

  it('stops pulling from the body when the consumer stops early', async () => {
    let finished = false;
    let pulls = 0;
    async function* body(): AsyncGenerator<string> {
      try {
        for (let i = 0; i < 100; i++) {
          pulls += 1;
          yield `data: ${i}\n\n`;
        }
      } finally {
        finished = true;
      }
    }

    for await (const event of readServerSentEvents(body())) if (event.data === '2') break;

    expect(pulls).toBe(3);
    expect(finished).toBe(true);
  });
});
