// POST /v1/chat/completions: validate, plan, then answer as JSON or as a server-sent-event stream.
import { randomInt } from 'node:crypto';
import { pause, sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { SseWriter } from '../shared/sse-writer';
import { planChatCompletion } from './openai-chat.plan';
import { chatCompletionChunks, renderChatCompletion, type CompletionMeta } from './openai-chat.render';
import { parseChatCompletionRequest } from './openai-chat.request';

/** Marks every sandbox completion: a response with this fingerprint never came from a real model. */
export const SANDBOX_SYSTEM_FINGERPRINT = 'fp_sandbox';

export async function handleChatCompletions(ctx: SandboxContext): Promise<void> {
  const request = parseChatCompletionRequest(ctx.body);
  const plan = planChatCompletion(request);
  const meta: CompletionMeta = {
    // Random like OpenAI's, on purpose: the content is deterministic, but ids must stay unique because the gateway
    // may use them to deduplicate usage events.
    id: `chatcmpl-${randomAlphanumeric(29)}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    systemFingerprint: SANDBOX_SYSTEM_FINGERPRINT,
  };

  if (request.stream !== true) {
    sendJson(ctx.res, 200, renderChatCompletion(plan, meta));
    return;
  }

  const sse = new SseWriter(ctx.res, ctx.signal, (count) => {
    if (ctx.record) ctx.record.chunksSent = count;
  });
  sse.open();
  const chunks = chatCompletionChunks(plan, meta, {
    includeUsage: request.stream_options?.include_usage === true,
    includeObfuscation: request.stream_options?.include_obfuscation !== false,
  });
  for (const chunk of chunks) {
    // Chunks are produced lazily, one per wait: a client that disconnects stops generation at the next pause.
    if (sse.eventsSent > 0) await pause(ctx.settings.chunkDelayMs, ctx.signal);
    await sse.send(JSON.stringify(chunk));
  }
  await pause(ctx.settings.chunkDelayMs, ctx.signal);
  await sse.send('[DONE]');
  sse.end();
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Shaped like OpenAI's completion ids: 29 letters and digits after the prefix. */
function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return out;
}
