// The part of CreateChatCompletionRequest the sandbox reads. Loose objects: the real API accepts dozens of other
// parameters (temperature, tools, response_format, ...) and the gateway may forward any of them, so the sandbox
// validates what it uses and lets the rest through (it is visible in the request log).
import { z } from 'zod';
import { parseOpenAiJsonBody } from './openai-validation';
import { OpenAiError } from './openai-error';

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

export const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'assistant', 'user', 'function', 'tool', 'developer']),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(z.looseObject({})).optional(),
});

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z
    .looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
    .nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
  seed: z.number().int().nullish(),
  tools: z.array(z.looseObject({})).optional(),
});

export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export function parseChatCompletionRequest(raw: string): ChatCompletionRequest {
  const request = parseOpenAiJsonBody(chatCompletionRequestSchema, raw);
  if (request.stream_options && request.stream !== true) {
    throw new OpenAiError(
      400,
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'invalid_request_error',
      'stream_options',
      'invalid_value',
    );
  }
  return request;
}
