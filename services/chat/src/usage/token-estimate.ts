/**
 * A tokenizer-free estimate, used only when an upstream reports no usage (a stream cut short): about four
 * characters per token for English text, as OpenAI documents. Events carrying it are marked `tokensEstimated`.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
