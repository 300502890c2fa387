import type {
  CanonicalChatRequest,
  CanonicalMessage,
  CanonicalPart,
  CanonicalResponseFormat,
  CanonicalThinking,
  CanonicalTool,
  CanonicalToolChoice,
  ImagePart,
  TextPart,
  ToolResultPart,
} from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import type { OpenAiChatRequest } from './openai-chat.request';

type Json = Record<string, unknown>;
type RequestMessage = OpenAiChatRequest['messages'][number];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const invalid = (param: string, detail: string) => GatewayError.invalid(`Invalid value for '${param}': ${detail}`, param);
const missing = (param: string) => GatewayError.invalid(`Missing required parameter: '${param}'.`, param);

/**
 * `reasoning_effort` as a canonical thinking budget. Anthropic's smallest budget is 1,024 tokens, so `minimal` and
 * `low` share it; `none` turns thinking off; `xhigh` and `max` stop at 32,768, the most a budget is useful for
 * within the output limits of today's models (the upstream format still fits it under max_tokens).
 */
export const reasoningEffortBudgets: Readonly<Record<string, number | null>> = {
  none: null,
  minimal: 1_024,
  low: 1_024,
  medium: 4_096,
  high: 16_384,
  xhigh: 32_768,
  max: 32_768,
};

/** Request fields that become canonical fields. Every other field travels, unchanged, in `extensions.openai`. */
const mappedFields = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'stream',
  'stream_options',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
]);

/** Legacy function calling: its answers need `function_call` in the response, which the canonical model cannot say. */
const rejectedFields = ['functions', 'function_call'];

/**
 * A validated OpenAI Chat Completions request as a canonical one, for upstreams that do not speak OpenAI's format
 * (an OpenAI-compatible upstream gets the body passed through instead). What the canonical model cannot express is
 * rejected with the param at fault when dropping it would change the answer (audio and file inputs, legacy
 * functions, custom tools), and otherwise kept in `extensions.openai` (logprobs, logit_bias, service_tier, ...),
 * which only an OpenAI-compatible upstream reads. The rules are listed in this library's README.
 */
export function openAiChatToCanonical(request: OpenAiChatRequest): CanonicalChatRequest {
  for (const field of rejectedFields) {
    if (request[field] !== undefined && request[field] !== null) {
      throw GatewayError.invalid(`'${field}' (legacy function calling) is not supported for this model; use 'tools' and 'tool_choice'.`, field);
    }
  }
  const { system, messages } = toMessages(request.messages);
  const canonical: CanonicalChatRequest = { model: request.model, messages, stream: request.stream ?? false };
  if (system.length > 0) canonical.system = system;

  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxOutputTokens != null) canonical.maxOutputTokens = maxOutputTokens;
  if (request.temperature != null) canonical.temperature = request.temperature;
  if (request.top_p != null) canonical.topP = request.top_p;
  if (request.seed != null) canonical.seed = request.seed;
  if (request.presence_penalty != null) canonical.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) canonical.frequencyPenalty = request.frequency_penalty;
  if (request.n != null) canonical.n = request.n;
  if (request.user !== undefined) canonical.user = request.user;
  if (typeof request.stop === 'string') canonical.stop = [request.stop];
  else if (Array.isArray(request.stop) && request.stop.length > 0) canonical.stop = request.stop;

  const tools = toTools(request.tools, request.tool_choice);
  if (tools.tools) canonical.tools = tools.tools;
  if (tools.toolChoice) canonical.toolChoice = tools.toolChoice;
  if (request.parallel_tool_calls !== undefined) canonical.parallelToolCalls = request.parallel_tool_calls;
  if (request.response_format) canonical.responseFormat = toResponseFormat(request.response_format);
  const thinking = toThinking(request.reasoning_effort);
  if (thinking) canonical.thinking = thinking;

  const openai: Json = {};
  for (const [key, value] of Object.entries(request)) if (!mappedFields.has(key) && value !== undefined) openai[key] = value;
  if (Object.keys(openai).length > 0) canonical.extensions = { openai };
  return canonical;
}

/**
 * System and developer messages, wherever they stand, become `system` in order: none of the non-OpenAI targets has
 * a system turn inside the conversation (Anthropic's `system`, Gemini's `systemInstruction`), and LiteLLM does the
 * same. Consecutive tool messages become one canonical tool message (Anthropic and Gemini want all results of a
 * turn together).
 */
function toMessages(input: RequestMessage[]): { system: TextPart[]; messages: CanonicalMessage[] } {
  const system: TextPart[] = [];
  const messages: CanonicalMessage[] = [];
  const toolNames = new Map<string, string>();
  input.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textContent(message.content, `${param}.content`, ['text'])) if (text !== '') system.push({ type: 'text', text });
        break;
      case 'user':
        messages.push({ role: 'user', content: userContent(message.content, `${param}.content`) });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantContent(message, param, toolNames) });
        break;
      case 'tool': {
        const part = toolResult(message, param, toolNames);
        const last = messages.at(-1);
        if (last?.role === 'tool') last.content.push(part);
        else messages.push({ role: 'tool', content: [part] });
        break;
      }
      case 'function':
        throw GatewayError.invalid(`Messages with role 'function' (legacy function calling) are not supported for this model; use 'tool'.`, `${param}.role`);
    }
  });
  return { system, messages };
}

/** The texts of a string or an array of text parts (assistant messages may also hold `refusal` parts). */
function textContent(content: RequestMessage['content'], param: string, allowed: string[]): string[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [content];
  return content.map((part, j) => {
    const partParam = `${param}[${j}]`;
    if (!allowed.includes(part.type)) throw invalid(`${partParam}.type`, `must be one of ${allowed.map((t) => `'${t}'`).join(', ')}.`);
    const value = part.type === 'refusal' ? part.refusal : part.text;
    if (typeof value !== 'string') throw invalid(`${partParam}.${part.type}`, 'expected string.');
    return value;
  });
}

function userContent(content: RequestMessage['content'], param: string): (TextPart | ImagePart)[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, j) => {
    const partParam = `${param}[${j}]`;
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw invalid(`${partParam}.text`, 'expected string.');
        return { type: 'text', text: part.text };
      case 'image_url':
        return imagePart(part.image_url, `${partParam}.image_url`);
      case 'input_audio':
      case 'file':
        // No canonical form yet: silently dropping an input would change the answer.
        throw GatewayError.invalid(`Content parts of type '${part.type}' are not supported for this model yet.`, `${partParam}.type`);
      default:
        throw invalid(`${partParam}.type`, `must be one of 'text', 'image_url', 'input_audio', 'file'.`);
    }
  });
}

/** A `data:` URL becomes inline base64 bytes with their media type; an http(s) URL stays a URL. `detail` is dropped. */
function imagePart(imageUrl: unknown, param: string): ImagePart {
  if (!isObject(imageUrl)) throw imageUrl === undefined ? missing(param) : invalid(param, 'expected object.');
  const url = imageUrl.url;
  if (typeof url !== 'string') throw url === undefined ? missing(`${param}.url`) : invalid(`${param}.url`, 'expected string.');
  if (url.startsWith('data:')) {
    const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
    if (!match || !match[2].split(';').includes('base64'))
      throw invalid(`${param}.url`, 'a data URL must be base64-encoded (data:<media type>;base64,<data>).');
    const image: ImagePart = { type: 'image', data: match[3] };
    if (match[1]) image.mediaType = match[1];
    return image;
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', url };
  throw invalid(`${param}.url`, 'expected an http(s) URL or a base64 data URL.');
}

/**
 * An assistant turn as canonical parts, in the order the model produced them: thinking, text, tool calls.
 * Thinking comes from the extension fields: `thinking_blocks` (LiteLLM's, with signatures) when present, otherwise
 * `reasoning_content` (DeepSeek's) as one unsigned thinking part.
 */
function assistantContent(message: RequestMessage, param: string, toolNames: Map<string, string>): CanonicalPart[] {
  const parts: CanonicalPart[] = [];
  if (message.thinking_blocks !== undefined && message.thinking_blocks !== null)
    parts.push(...thinkingBlocks(message.thinking_blocks, `${param}.thinking_blocks`));
  else if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') parts.push({ type: 'thinking', text: message.reasoning_content });
  else if (message.reasoning_content !== undefined && message.reasoning_content !== null && typeof message.reasoning_content !== 'string')
    throw invalid(`${param}.reasoning_content`, 'expected string.');

  for (const text of textContent(message.content, `${param}.content`, ['text', 'refusal'])) if (text !== '') parts.push({ type: 'text', text });
  if (typeof message.refusal === 'string' && message.refusal !== '') parts.push({ type: 'text', text: message.refusal });

  (message.tool_calls ?? []).forEach((call, k) => {
    const callParam = `${param}.tool_calls[${k}]`;
    if (call.type !== 'function') throw invalid(`${callParam}.type`, `must be 'function' (custom tools are not supported for this model).`);
    const part: CanonicalPart = { type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments };
    const signature = googleSignature(call.extra_content);
    if (signature !== undefined) part.signature = signature;
    toolNames.set(call.id, call.function.name);
    parts.push(part);
  });
  return parts;
}

function thinkingBlocks(blocks: unknown, param: string): CanonicalPart[] {
  if (!Array.isArray(blocks)) throw invalid(param, 'expected array.');
  return blocks.map((block: unknown, j): CanonicalPart => {
    const blockParam = `${param}[${j}]`;
    if (!isObject(block)) throw invalid(blockParam, 'expected object.');
    if (block.type === 'thinking') {
      if (typeof block.thinking !== 'string') throw invalid(`${blockParam}.thinking`, 'expected string.');
      if (block.signature !== undefined && block.signature !== null && typeof block.signature !== 'string')
        throw invalid(`${blockParam}.signature`, 'expected string.');
      return typeof block.signature === 'string' && block.signature !== ''
        ? { type: 'thinking', text: block.thinking, signature: block.signature }
        : { type: 'thinking', text: block.thinking };
    }
    if (block.type === 'redacted_thinking') {
      if (typeof block.data !== 'string') throw invalid(`${blockParam}.data`, 'expected string.');
      return { type: 'thinking', text: '', redacted: block.data };
    }
    throw invalid(`${blockParam}.type`, `must be one of 'thinking', 'redacted_thinking'.`);
  });
}

function googleSignature(extra: unknown): string | undefined {
  if (!isObject(extra) || !isObject(extra.google)) return undefined;
  const signature = extra.google.thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

function toolResult(message: RequestMessage, param: string, toolNames: Map<string, string>): ToolResultPart {
  if (typeof message.tool_call_id !== 'string') throw missing(`${param}.tool_call_id`);
  const part: ToolResultPart = {
    type: 'tool_result',
    toolCallId: message.tool_call_id,
    content: textContent(message.content, `${param}.content`, ['text']).map((text) => ({ type: 'text', text })),
  };
  const name = toolNames.get(message.tool_call_id);
  if (name !== undefined) part.name = name;
  return part;
}

/**
 * Function tools (parameters default to an empty object schema; `strict` is dropped). `allowed_tools` is carried out
 * here: the tool list is cut to the allowed ones and its mode becomes the choice.
 */
function toTools(
  tools: OpenAiChatRequest['tools'],
  toolChoice: OpenAiChatRequest['tool_choice'],
): { tools?: CanonicalTool[]; toolChoice?: CanonicalToolChoice } {
  let canonical = tools?.map((tool, i): CanonicalTool => {
    if (tool.type !== 'function') throw invalid(`tools[${i}].type`, `must be 'function' (custom tools are not supported for this model).`);
    if (!tool.function) throw missing(`tools[${i}].function`);
    const { name, description, parameters } = tool.function;
    if (description !== undefined && description !== null && typeof description !== 'string')
      throw invalid(`tools[${i}].function.description`, 'expected string.');
    if (parameters !== undefined && parameters !== null && !isObject(parameters)) throw invalid(`tools[${i}].function.parameters`, 'expected object.');
    const out: CanonicalTool = { name, parameters: isObject(parameters) ? parameters : { type: 'object', properties: {} } };
    if (typeof description === 'string') out.description = description;
    return out;
  });
  if (toolChoice === undefined || toolChoice === null) return { tools: canonical };
  if (typeof toolChoice === 'string') return { tools: canonical, toolChoice: { type: toolChoice } };
  if (toolChoice.type === 'function') {
    const name = isObject(toolChoice.function) ? toolChoice.function.name : undefined;
    if (typeof name !== 'string') throw missing('tool_choice.function.name');
    return { tools: canonical, toolChoice: { type: 'tool', name } };
  }
  if (toolChoice.type === 'allowed_tools') {
    const allowed = toolChoice.allowed_tools;
    if (!isObject(allowed)) throw missing('tool_choice.allowed_tools');
    if (allowed.mode !== 'auto' && allowed.mode !== 'required') throw invalid('tool_choice.allowed_tools.mode', `must be one of 'auto', 'required'.`);
    if (!Array.isArray(allowed.tools)) throw missing('tool_choice.allowed_tools.tools');
    const names = new Set(allowed.tools.map((tool: unknown) => (isObject(tool) && isObject(tool.function) ? tool.function.name : undefined)));
    canonical = canonical?.filter((tool) => names.has(tool.name));
    return { tools: canonical, toolChoice: { type: allowed.mode } };
  }
  throw invalid('tool_choice.type', `must be one of 'function', 'allowed_tools' (custom tools are not supported for this model).`);
}

/** `json_schema` without a schema asks for any JSON object: the same as `json_object`. `description` is dropped. */
function toResponseFormat(format: NonNullable<OpenAiChatRequest['response_format']>): CanonicalResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const spec = format.json_schema;
  if (!isObject(spec)) throw missing('response_format.json_schema');
  if (typeof spec.name !== 'string') throw missing('response_format.json_schema.name');
  if (spec.schema === undefined || spec.schema === null) return { type: 'json_object' };
  if (!isObject(spec.schema)) throw invalid('response_format.json_schema.schema', 'expected object.');
  const out: CanonicalResponseFormat = { type: 'json_schema', name: spec.name, schema: spec.schema };
  if (typeof spec.strict === 'boolean') out.strict = spec.strict;
  return out;
}

function toThinking(effort: unknown): CanonicalThinking | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (typeof effort !== 'string' || !Object.hasOwn(reasoningEffortBudgets, effort)) {
    throw invalid(
      'reasoning_effort',
      `must be one of ${Object.keys(reasoningEffortBudgets)
        .map((e) => `'${e}'`)
        .join(', ')}.`,
    );
  }
  const budgetTokens = reasoningEffortBudgets[effort];
  // The dialect shows thoughts (reasoning_content), so it asks for them where the target makes that optional (Gemini).
  return budgetTokens === null ? { enabled: false } : { enabled: true, budgetTokens, includeThoughts: true };
}
