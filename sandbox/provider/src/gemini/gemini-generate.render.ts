// Renders a plan as Gemini's GenerateContentResponse, whole or as stream chunks, field for field and in the
// order the real API sends them.
import type { FinishReason, GeneratePlan, OutPart } from './gemini-generate.plan';

export interface ResponseMeta {
  modelVersion: string;
  responseId: string;
}

export interface UsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  totalTokenCount: number;
  promptTokensDetails: Array<{ modality: 'TEXT' | 'IMAGE'; tokenCount: number }>;
  thoughtsTokenCount?: number;
}

export interface Candidate {
  content: { parts: OutPart[]; role: 'model' };
  finishReason?: FinishReason;
  index: number;
}

export interface GenerateContentResponse {
  candidates: Candidate[];
  usageMetadata: UsageMetadata;
  modelVersion: string;
  responseId: string;
}

function promptUsage(plan: GeneratePlan): Pick<UsageMetadata, 'promptTokenCount' | 'promptTokensDetails'> {
  return {
    promptTokenCount: plan.prompt.text + plan.prompt.image,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: plan.prompt.text },
      ...(plan.prompt.image > 0 ? [{ modality: 'IMAGE' as const, tokenCount: plan.prompt.image }] : []),
    ],
  };
}

export function renderUsage(plan: GeneratePlan): UsageMetadata {
  const { promptTokenCount, promptTokensDetails } = promptUsage(plan);
  return {
    promptTokenCount,
    candidatesTokenCount: plan.candidatesTokens,
    totalTokenCount: promptTokenCount + plan.candidatesTokens + (plan.thoughtsTokens ?? 0),
    promptTokensDetails,
    ...(plan.thoughtsTokens === null ? {} : { thoughtsTokenCount: plan.thoughtsTokens }),
  };
}

export function renderResponse(plan: GeneratePlan, meta: ResponseMeta): GenerateContentResponse {
  return {
    candidates: plan.candidates.map((c) => ({
      content: { parts: c.parts, role: 'model' },
      finishReason: c.finishReason,
      index: c.index,
    })),
    usageMetadata: renderUsage(plan),
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}

/**
 * The stream: chunk k carries piece k of every candidate that has one (a text token, a thought token, or a whole
 * function call: Gemini never splits a call). A candidate's last chunk carries its finishReason. Every chunk has
 * usageMetadata, but only the last one is complete (candidates and thoughts counted); earlier ones count the prompt.
 */
export function* streamChunks(plan: GeneratePlan, meta: ResponseMeta): Generator<GenerateContentResponse> {
  const longest = Math.max(...plan.candidates.map((c) => c.pieces.length));
  const partial = promptUsage(plan);
  for (let k = 0; k < longest; k++) {
    yield {
      candidates: plan.candidates
        .filter((c) => k < c.pieces.length)
        .map((c) => ({
          content: { parts: [c.pieces[k]], role: 'model' },
          ...(k === c.pieces.length - 1 ? { finishReason: c.finishReason } : {}),
          index: c.index,
        })),
      usageMetadata:
        k === longest - 1
          ? renderUsage(plan)
          : { promptTokenCount: partial.promptTokenCount, totalTokenCount: partial.promptTokenCount, promptTokensDetails: partial.promptTokensDetails },
      modelVersion: meta.modelVersion,
      responseId: meta.responseId,
    };
  }
}
