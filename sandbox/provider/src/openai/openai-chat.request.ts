// The part of CreateChatCompletionRequest the sandbox reads. Loose objects: the real API accepts dozens of other
// parameters (temperature, response_format, ...) and the gateway may forward any of them, so the sandbox
// validates what it uses and lets the rest through (it is visible in the request log). Beyond the schema, it
// checks what OpenAI checks about a conversation: tool messages answer the tool calls just before them, and images
// are image URLs.
import { z } from 'zod';
import { parseDataUrl } from '../shared/image-inputs';
import { OpenAiError } from './openai-error';
import { parseOpenAiJsonBody } from './openai-validation';

const contentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }).optional(),
});

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
});

export const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'assistant', 'user', 'function', 'tool', 'developer']),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).nullish(),
  tool_call_id: z.string().optional(),
});

const toolSchema = z.looseObject({
  type: z.enum(['function', 'custom']),
  function: z
    .looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }).optional() }),
]);

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
  seed: z.number().int().nullish(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
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
  request.messages.forEach(checkImageParts);
  checkToolSequence(request.messages);
  return request;
}

function checkImageParts(message: ChatMessage, index: number): void {
  if (!Array.isArray(message.content)) return;
  message.content.forEach((part, partIndex) => {
    if (part.type !== 'image_url') return;
    const param = `messages[${index}].content[${partIndex}].image_url`;
    if (!part.image_url) {
      throw new OpenAiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
    }
    const url = part.image_url.url;
    const dataUrl = parseDataUrl(url);
    if (dataUrl) {
      if (!dataUrl.mimeType.startsWith('image/') || !dataUrl.base64) {
        throw new OpenAiError(
          400,
          `Invalid '${param}.url'. Expected a base64-encoded data URL with an image MIME type ` +
            `(e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type '${dataUrl.mimeType}'.`,
          'invalid_request_error',
          `${param}.url`,
          'invalid_image_format',
        );
      }
      return;
    }
    if (!/^https?:\/\/[^\s]+$/i.test(url)) {
      throw new OpenAiError(
        400,
        `Invalid '${param}.url'. Expected a valid URL, but got a value with an invalid format.`,
        'invalid_request_error',
        `${param}.url`,
        'invalid_value',
      );
    }
  });
}

/**
 * OpenAI's conversation rules for tools: every `tool` message answers a call of the assistant message just before
 * the run of tool messages it belongs to, carries a `tool_call_id`, and every call gets an answer before the
 * conversation moves on. The error wording and `param` spelling (`messages.[3].role`) are OpenAI's.
 */
function checkToolSequence(messages: readonly ChatMessage[]): void {
  let open: Set<string> | null = null; // ids of the calls still waiting for a tool message
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (message.tool_call_id === undefined) {
        const param = `messages[${index}].tool_call_id`;
        throw new OpenAiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
      }
      if (open === null) {
        throw new OpenAiError(
          400,
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          'invalid_request_error',
          `messages.[${index}].role`,
        );
      }
      if (!open.delete(message.tool_call_id)) {
        throw new OpenAiError(
          400,
          `Invalid parameter: 'tool_call_id' of '${message.tool_call_id}' not found in 'tool_calls' of previous message.`,
          'invalid_request_error',
          `messages.[${index}].tool_call_id`,
        );
      }
      continue;
    }
    if (open !== null && open.size > 0) throw unansweredToolCalls(open, index);
    open = message.role === 'assistant' && message.tool_calls?.length ? new Set(message.tool_calls.map((c) => c.id)) : null;
  }
  // A conversation may end on the assistant's calls (nothing answered yet), but not halfway through its answers.
  if (open !== null && open.size > 0 && messages[messages.length - 1].role === 'tool') {
    throw unansweredToolCalls(open, messages.length);
  }
}

function unansweredToolCalls(open: Set<string>, index: number): OpenAiError {
  return new OpenAiError(
    400,
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
      `The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
    'invalid_request_error',
    `messages.[${index}].role`,
  );
}
