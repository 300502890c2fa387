import { randomBytes } from 'node:crypto';
import type { CanonicalChatResponse, CanonicalPart, CanonicalStopReason, CanonicalUsage } from '@apitopmix/contracts';
import { FOREIGN_REDACTED_THINKING_PREFIX, thoughtSignatureFromCanonical } from './gemini-signatures';
import type { GeminiFinishReason, GeminiGenerateContentResponse, GeminiResponsePart, GeminiUsageMetadata } from './gemini.types';

export interface GeminiRenderContext {
  /** The model as the caller named it: Gemini's `modelVersion`. */
  model: string;
  /** Whether thinking is shown as `thought` parts (the request's thinkingConfig.includeThoughts; Gemini's default is no). */
  includeThoughts?: boolean;
  /** The `responseId`; minted when absent. */
  responseId?: string;
}

/** A response id shaped like Google's (22 URL-safe base64 characters). */
export const mintResponseId = (): string => randomBytes(16).toString('base64url');

/**
 * Gemini has no tool-call stop: a turn that calls functions ends with STOP and functionCall parts. A stop
 * sequence is STOP as well; `error` has no Gemini name but OTHER.
 */
export function toFinishReason(reason: CanonicalStopReason): GeminiFinishReason {
  switch (reason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    case 'error':
      return 'OTHER';
    default:
      return 'STOP';
  }
}

/**
 * Gemini counts thinking apart from the answer (`thoughtsTokenCount` beside `candidatesTokenCount`); the canonical
 * outputTokens counts both, so the thinking is taken out of it again.
 */
export function toUsageMetadata(usage: CanonicalUsage): GeminiUsageMetadata {
  const thoughts = usage.reasoningTokens ?? 0;
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.reasoningTokens !== undefined) metadata.thoughtsTokenCount = usage.reasoningTokens;
  if (usage.cachedInputTokens !== undefined) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  return metadata;
}

/** Function arguments as Gemini's `args` object; arguments that are not a JSON object become `{}`. */
export function toArgs(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json === '' ? '{}' : json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One canonical part as Gemini parts (none for what the caller did not ask to see, or Gemini cannot show). */
export function toResponseParts(part: CanonicalPart, includeThoughts: boolean): GeminiResponsePart[] {
  switch (part.type) {
    case 'text':
      return [{ text: part.text, ...(part.signature ? { thoughtSignature: part.signature } : {}) }];
    case 'thinking': {
      if (!includeThoughts) return [];
      if (part.redacted !== undefined) return [{ text: '', thought: true, thoughtSignature: `${FOREIGN_REDACTED_THINKING_PREFIX}${part.redacted}` }];
      return [{ text: part.text, thought: true, ...(part.signature ? { thoughtSignature: thoughtSignatureFromCanonical(part.signature) } : {}) }];
    }
    case 'tool_call':
      return [
        { functionCall: { id: part.id, name: part.name, args: toArgs(part.arguments) }, ...(part.signature ? { thoughtSignature: part.signature } : {}) },
      ];
    case 'image':
      if (part.data !== undefined) return [{ inlineData: { mimeType: part.mediaType ?? 'image/png', data: part.data } }];
      return part.url !== undefined ? [{ fileData: { fileUri: part.url, ...(part.mediaType ? { mimeType: part.mediaType } : {}) } }] : [];
    default:
      return []; // tool results are never part of an answer
  }
}

/** A canonical answer as Gemini's GenerateContentResponse. Rules: ../README.md. */
export function geminiFromCanonical(response: CanonicalChatResponse, context: GeminiRenderContext): GeminiGenerateContentResponse {
  const includeThoughts = context.includeThoughts ?? false;
  return {
    candidates: response.choices.map((choice) => {
      const parts = choice.content.flatMap((part) => toResponseParts(part, includeThoughts));
      // An empty answer still has one (empty) part: Google's SDK chat keeps a turn in its history only if it has parts.
      return {
        content: { role: 'model', parts: parts.length > 0 ? parts : [{ text: '' }] },
        finishReason: toFinishReason(choice.stopReason),
        index: choice.index,
      };
    }),
    usageMetadata: toUsageMetadata(response.usage),
    modelVersion: context.model,
    responseId: context.responseId ?? mintResponseId(),
  };
}
