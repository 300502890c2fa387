/** Server-sent-event framing of OpenAI's streams: `data: <json>\n\n`, closed by `data: [DONE]`. */
export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

const prefix = Buffer.from('data: ');
const suffix = Buffer.from('\n\n');

/** One event's bytes, assembled without copying the payload through a string. */
export function sseEvent(data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([prefix, payload, suffix], prefix.length + payload.length + suffix.length);
}

export const sseDone = Buffer.from('data: [DONE]\n\n');
