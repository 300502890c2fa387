import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason, CanonicalUsage, ThinkingPart } from '@apitopmix/contracts';
import { GEMINI_THOUGHT_SIGNATURE_PREFIX } from './gemini.signatures';
import type { GeminiGenerateContentResponse, GeminiPart, GeminiUsageMetadata } from './gemini.types';

/** Output withheld by a filter: safety, blocklists, recitation (copyright), personal data. */
const filtered = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);
/** The model failed at calling a function. */
const failedCalls = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/**
 * Gemini's finishReason as the canonical stop reason: STOP is `tool_calls` when the candidate called functions
 * (Gemini has no reason of its own for it), MAX_TOKENS `length`, the filters `content_filter`, a failed function
 * call `error`; anything else (OTHER, LANGUAGE, ...) `stop`.
 */
export function fromFinishReason(reason: string | undefined, calledFunctions: boolean): CanonicalStopReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && filtered.has(reason)) return 'content_filter';
  if (reason !== undefined && failedCalls.has(reason)) return 'error';
  return calledFunctions ? 'tool_calls' : 'stop';
}

/**
 * Gemini's usageMetadata as canonical usage. Gemini counts thinking apart from the answer: output is
 * candidatesTokenCount + thoughtsTokenCount (both billed as output), with the thoughts as reasoningTokens. Input is
 * promptTokenCount plus toolUsePromptTokenCount (tool results Google fed the model, billed as input).
 */
export function fromGeminiUsage(metadata: GeminiUsageMetadata | undefined): CanonicalUsage {
  const thoughts = metadata?.thoughtsTokenCount ?? 0;
  const usage: CanonicalUsage = {
    inputTokens: (metadata?.promptTokenCount ?? 0) + (metadata?.toolUsePromptTokenCount ?? 0),
    outputTokens: (metadata?.candidatesTokenCount ?? 0) + thoughts,
  };
  if (metadata?.thoughtsTokenCount !== undefined) usage.reasoningTokens = thoughts;
  if (metadata?.cachedContentTokenCount !== undefined) usage.cachedInputTokens = metadata.cachedContentTokenCount;
  return usage;
}

/** Mints `call_<n>` for function calls Gemini sent without an id (n counts the calls of one response). */
export class CallIdMinter {
  private next = 0;

  idFor(call: { id?: string }): string {
    const id = call.id ?? `call_${this.next}`;
    this.next += 1;
    return id;
  }
}

/**
 * A candidate's parts as canonical parts. Consecutive thought parts are one thinking block, closed by the part that
 * carries its signature; a part that is only a signature is an empty signed text. Parts the canonical model has no
 * place for (executableCode, codeExecutionResult) are left out.
 */
export function fromGeminiParts(parts: GeminiPart[], ids: CallIdMinter): CanonicalPart[] {
  const out: CanonicalPart[] = [];
  let thinking: ThinkingPart | undefined;
  for (const part of parts) {
    if (part.thought && !part.functionCall) {
      thinking ??= { type: 'thinking', text: '' };
      thinking.text += part.text ?? '';
      if (part.thoughtSignature) {
        out.push({ ...thinking, signature: `${GEMINI_THOUGHT_SIGNATURE_PREFIX}${part.thoughtSignature}` });
        thinking = undefined;
      }
      continue;
    }
    if (thinking) {
      out.push(thinking);
      thinking = undefined;
    }
    const signature = part.thoughtSignature ? { signature: part.thoughtSignature } : {};
    if (part.functionCall) {
      const call = part.functionCall;
      out.push({ type: 'tool_call', id: ids.idFor(call), name: call.name, arguments: JSON.stringify(call.args ?? {}), ...signature });
    } else if (part.inlineData) {
      out.push({ type: 'image', mediaType: part.inlineData.mimeType, data: part.inlineData.data });
    } else if (part.fileData) {
      out.push({ type: 'image', url: part.fileData.fileUri, ...(part.fileData.mimeType ? { mediaType: part.fileData.mimeType } : {}) });
    } else if (typeof part.text === 'string' || part.thoughtSignature) {
      out.push({ type: 'text', text: part.text ?? '', ...signature });
    }
  }
  if (thinking) out.push(thinking);
  return out;
}

/** A whole generateContent response as the canonical response. A prompt Google blocked is one filtered, empty choice. */
export function fromGeminiResponse(response: GeminiGenerateContentResponse, fallbackModel = ''): CanonicalChatResponse {
  const ids = new CallIdMinter();
  const choices = (response.candidates ?? []).map((candidate, position) => {
    const content = fromGeminiParts(candidate.content?.parts ?? [], ids);
    return {
      index: candidate.index ?? position,
      content,
      stopReason: fromFinishReason(
        candidate.finishReason,
        content.some((part) => part.type === 'tool_call'),
      ),
    };
  });
  if (choices.length === 0 && response.promptFeedback?.blockReason) choices.push({ index: 0, content: [], stopReason: 'content_filter' });
  return { id: response.responseId ?? '', model: response.modelVersion ?? fallbackModel, choices, usage: fromGeminiUsage(response.usageMetadata) };
}
