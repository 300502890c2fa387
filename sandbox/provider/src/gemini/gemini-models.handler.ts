// GET /v1beta/models and GET /v1beta/models/{model} in Google's Model shape. Generation accepts any model id;
// the list only gives clients that probe for models something realistic to read.
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';

export const SANDBOX_GEMINI_MODEL_IDS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview'] as const;

export interface GeminiModel {
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature: number;
  topP: number;
  topK: number;
  maxTemperature: number;
  thinking: boolean;
}

export function geminiModel(id: string): GeminiModel {
  return {
    name: `models/${id}`,
    version: '001',
    // The display name marks the sandbox so nobody mistakes this listing for Google's.
    displayName: `${id} (sandbox)`,
    description: 'A deterministic stand-in served by the ApiTopMix sandbox provider.',
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'streamGenerateContent'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  };
}

export function handleListGeminiModels(ctx: SandboxContext): void {
  sendJson(ctx.res, 200, { models: SANDBOX_GEMINI_MODEL_IDS.map(geminiModel) });
}

export function handleGetGeminiModel(ctx: SandboxContext): void {
  sendJson(ctx.res, 200, geminiModel(ctx.params.model));
}
