import { z } from 'zod';
import type { TokenEstimate } from '@apitopmix/contracts';
import { parseOpenAiBody } from './openai-request-validation';

const contentPart = z.looseObject({ type: z.string().min(1) });
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(z.looseObject({ id: z.string(), type: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) })).optional(),
});

/**
 * OpenAI Chat Completions request, validated as OpenAI's API does (ranges from its OpenAPI spec). Unknown fields
 * are kept, never rejected: pass-through sends them on, and OpenAI adds fields faster than any gateway.
 */
export const openAiChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string().min(1) }).optional() })).optional(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).optional(),
});

export type OpenAiChatRequest = z.infer<typeof openAiChatRequestSchema>;

/** Validates a parsed body; the error names the first field at fault, in OpenAI's `param` notation. */
export function parseOpenAiChatRequest(body: unknown): OpenAiChatRequest {
  return parseOpenAiBody(openAiChatRequestSchema, body);
}

/**
 * Tokens a request may use at most, for rate-limit admission: the prompt's estimate (about four characters per
 * token) plus the most it may generate. Without max_tokens that is the smaller of the model's output limit and
 * 4,096; the real usage corrects the reservation when the response completes.
 */
export function estimateRequestTokens(request: OpenAiChatRequest, modelMaxOutput: number): TokenEstimate {
  let chars = 0;
  for (const m of request.messages) {
    if (typeof m.content === 'string') chars += m.content.length;
    else if (Array.isArray(m.content)) for (const part of m.content) if (typeof part.text === 'string') chars += part.text.length;
  }
  const completion = request.max_completion_tokens ?? request.max_tokens ?? Math.min(modelMaxOutput, 4_096);
  return { inputTokens: Math.ceil(chars / 4), outputTokens: completion * (request.n ?? 1) };
}
