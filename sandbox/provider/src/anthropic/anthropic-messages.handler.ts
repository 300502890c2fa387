// POST /v1/messages (JSON or server-sent events) and POST /v1/messages/count_tokens.
import { randomInt } from 'node:crypto';
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { sseFrame, SseWriter } from '../shared/sse-writer';
import { pumpStream, type StreamFaultFrames } from '../shared/stream-pump';
import { AnthropicError } from './anthropic-error';
import { countInputTokens, planMessage } from './anthropic-messages.plan';
import { messageStreamEvents, renderMessage, type MessageMeta } from './anthropic-messages.render';
import { parseCountTokensRequest, parseMessagesRequest } from './anthropic-messages.request';

/** How an Anthropic stream breaks: an `error` event (overloaded unless the rule says otherwise), or broken JSON. */
export const ANTHROPIC_STREAM_FAULTS: StreamFaultFrames = {
  midstreamError: (status) => {
    const { type, message } = AnthropicError.forStatus(status ?? 529);
    return sseFrame(JSON.stringify({ type: 'error', error: { type, message } }), 'error');
  },
  garbage:
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminat\n\n' +
    '<html><body><h1>502 Bad Gateway</h1></body></html>\n\n',
};

export async function handleMessages(ctx: SandboxContext): Promise<void> {
  const request = parseMessagesRequest(ctx.body);
  const plan = planMessage(request);
  // Random like Anthropic's ids: the content is deterministic, the id must stay unique.
  const meta: MessageMeta = { id: `msg_01${randomBase62(22)}`, model: request.model };

  if (request.stream !== true) {
    sendJson(ctx.res, 200, renderMessage(plan, meta));
    return;
  }
  const sse = new SseWriter(ctx.res, ctx.signal, (count) => {
    if (ctx.record) ctx.record.chunksSent = count;
  });
  sse.open();
  const frames = (function* () {
    for (const event of messageStreamEvents(plan, meta)) yield sse.frame(JSON.stringify(event), event.type);
  })();
  await pumpStream(ctx, sse, frames, ANTHROPIC_STREAM_FAULTS);
}

export function handleCountTokens(ctx: SandboxContext): void {
  const request = parseCountTokensRequest(ctx.body);
  sendJson(ctx.res, 200, { input_tokens: countInputTokens(request) });
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}
