// Renders a plan as OpenAI's CreateChatCompletionResponse and CreateChatCompletionStreamResponse objects, field
// for field and in the order the real API sends them (gateways that snapshot raw bytes notice order).
import { createPrng, paddingString } from '../shared/deterministic-text';
import type { ChatCompletionPlan, FinishReason, PlannedChoice } from './openai-chat.plan';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
}

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  /** DeepSeek / NIM reasoning models only. */
  reasoning_content?: string;
  tool_calls?: ToolCall[];
  refusal: null;
  annotations: [];
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatCompletionMessage;
    logprobs: null;
    finish_reason: FinishReason;
  }>;
  usage: ChatCompletionUsage;
  service_tier: 'default';
  system_fingerprint: string;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string;
  tool_calls?: ToolCallDelta[];
  refusal?: null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  service_tier: 'default';
  system_fingerprint: string;
  choices: Array<{
    index: number;
    delta: ChunkDelta;
    logprobs: null;
    finish_reason: FinishReason | null;
  }>;
  /** Present (null until the last chunk) only with `stream_options.include_usage`. */
  usage?: ChatCompletionUsage | null;
  /** Size-normalising padding, present unless `stream_options.include_obfuscation` is false. */
  obfuscation?: string;
}

export interface StreamOptions {
  includeUsage: boolean;
  includeObfuscation: boolean;
}

export function renderUsage(plan: ChatCompletionPlan): ChatCompletionUsage {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: plan.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function renderChatCompletion(plan: ChatCompletionPlan, meta: CompletionMeta): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: plan.choices.map((choice) => ({
      index: choice.index,
      message: renderMessage(choice),
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage: renderUsage(plan),
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
  };
}

function renderMessage(choice: PlannedChoice): ChatCompletionMessage {
  return {
    role: 'assistant',
    content: choice.content,
    ...(choice.reasoning === null ? {} : { reasoning_content: choice.reasoning }),
    ...(choice.toolCall
      ? {
          tool_calls: [{ id: choice.toolCall.id, type: 'function', function: { name: choice.toolCall.name, arguments: choice.toolCall.arguments } }],
        }
      : {}),
    refusal: null,
    annotations: [],
  };
}

/** What a choice streams after its role chunk: reasoning pieces, then content pieces or its tool call in fragments. */
function choiceDeltas(choice: PlannedChoice): ChunkDelta[] {
  const deltas: ChunkDelta[] = choice.reasoningPieces.map((piece) => ({ reasoning_content: piece }));
  deltas.push(...choice.pieces.map((piece) => ({ content: piece })));
  const call = choice.toolCall;
  if (call) {
    // OpenAI opens a call with its id, name and empty arguments, then streams the arguments in fragments.
    deltas.push({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
    deltas.push(...call.pieces.map((piece) => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] })));
  }
  return deltas;
}

/**
 * The stream, chunk by chunk, as OpenAI sends it: per choice a role chunk; then the reasoning and content pieces
 * (or tool-call fragments), choices interleaved; then per choice an empty delta carrying `finish_reason`; then,
 * with include_usage, a last chunk with no choices and the usage. The caller writes `data: [DONE]` after it.
 */
export function* chatCompletionChunks(plan: ChatCompletionPlan, meta: CompletionMeta, options: StreamOptions): Generator<ChatCompletionChunk> {
  const random = createPrng(plan.seed);
  const chunk = (choices: ChatCompletionChunk['choices'], usage: ChatCompletionUsage | null = null): ChatCompletionChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: meta.systemFingerprint,
    choices,
    ...(options.includeUsage ? { usage } : {}),
    ...(options.includeObfuscation ? { obfuscation: paddingString(random) } : {}),
  });

  for (const choice of plan.choices) {
    const delta: ChunkDelta = { role: 'assistant', content: choice.toolCall ? null : '', refusal: null };
    yield chunk([{ index: choice.index, delta, logprobs: null, finish_reason: null }]);
  }
  const deltas = plan.choices.map(choiceDeltas);
  const longest = Math.max(0, ...deltas.map((list) => list.length));
  for (let position = 0; position < longest; position++) {
    for (const [i, choice] of plan.choices.entries()) {
      const delta = deltas[i][position];
      if (delta === undefined) continue;
      yield chunk([{ index: choice.index, delta, logprobs: null, finish_reason: null }]);
    }
  }
  for (const choice of plan.choices) {
    yield chunk([{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finishReason }]);
  }
  if (options.includeUsage) yield chunk([], renderUsage(plan));
}
