import { countTokens } from 'gpt-tokenizer';

/**
 * Tokens in `text` by OpenAI's o200k_base encoding (GPT-4o and GPT-4.1's tokenizer, via `gpt-tokenizer`), used only
 * when an upstream reports no usage of its own: a stream cut before its usage event, an upstream that sends none.
 * Other vendors' tokenizers differ by some percent, so events carrying this count are marked `tokensEstimated`.
 * The library loads its encoding when this module is first imported, at boot, not on a request.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}
