import { ModelEntry } from '../catalog.types';
import { anthropicModels } from './anthropic';
import { deepSeekModels } from './deepseek';
import { googleEmbeddingModels, googleModels } from './google';
import { imageModels, musicModels, videoModels } from './media';
import { nvidiaNimModels } from './nvidia-nim';
import { openAiChatModels, openAiEmbeddingModels } from './openai';

export { anthropicModels, CLAUDE_THINKING_BUDGET_TOKENS } from './anthropic';
export { deepSeekModels } from './deepseek';
export { googleEmbeddingModels, googleModels } from './google';
export { imageModels, musicModels, videoModels } from './media';
export { nvidiaNimModels } from './nvidia-nim';
export { openAiChatModels, openAiEmbeddingModels } from './openai';

/** The whole catalog, in the order /v1/models lists it: gpt-4.1, the spec's quick-test model, first. */
export const models: ModelEntry[] = [
  ...openAiChatModels,
  ...anthropicModels,
  ...googleModels,
  ...deepSeekModels,
  ...nvidiaNimModels,
  ...openAiEmbeddingModels,
  ...googleEmbeddingModels,
  ...imageModels,
  ...videoModels,
  ...musicModels,
];
