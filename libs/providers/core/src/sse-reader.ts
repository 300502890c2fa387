import { createParser, EventSourceMessage } from 'eventsource-parser';

/**
 * Reads a server-sent-events body and yields each event as it is complete, never waiting for more than that event.
 * The body's own flow control is kept: nothing is read ahead while the consumer is busy.
 */
export async function* readServerSentEvents(body: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<EventSourceMessage> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => ready.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    while (ready.length > 0) yield ready.shift() as EventSourceMessage;
  }
  parser.feed(decoder.decode());
  parser.feed('\n\n'); // a final event with no blank line after it still counts
  while (ready.length > 0) yield ready.shift() as EventSourceMessage;
}
