// POST /v1/chat/completions: validate, plan, then answer as JSON or as a server-sent-event stream.
import { randomInt } from 'node:crypto';
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { sseFrame, SseWriter } from '../shared/sse-writer';
import { pumpStream, type StreamFaultFrames } from '../shared/stream-pump';
import { planChatCompletion } from './openai-chat.plan';
import { chatCompletionChunks, renderChatCompletion, type CompletionMeta } from './openai-chat.render';
import { parseChatCompletionRequest } from './openai-chat.request';
import { OpenAiError } from './openai-error';

/** Marks every sandbox completion: a response with this fingerprint never came from a real model. */
export const SANDBOX_SYSTEM_FINGERPRINT = 'fp_sandbox';

/** How an OpenAI stream breaks: an `error` object in a data line (no `[DONE]` after it), or JSON cut short. */
export const OPENAI_STREAM_FAULTS: StreamFaultFrames = {
  midstreamError: (status) => sseFrame(JSON.stringify(OpenAiError.forStatus(status ?? 500).toBody())),
  garbage:
    'data: {"id":"chatcmpl-sandbox-garbage","object":"chat.completion.chunk","choices":[{"delta":{"content":"unterminat\n\n' +
    '<html><body><h1>502 Bad Gateway</h1></body></html>\n\n',
};

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
  await pumpStream(ctx, sse, frames(chunks, sse), OPENAI_STREAM_FAULTS);
}

function* frames(chunks: Iterable<object>, sse: SseWriter): Generator<string> {
  for (const chunk of chunks) yield sse.frame(JSON.stringify(chunk));
  yield sse.frame('[DONE]');
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Shaped like OpenAI's completion ids: 29 letters and digits after the prefix. */
function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return out;
}
