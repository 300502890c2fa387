import { GatewayError } from '@apitopmix/platform/errors';
import { isForeignThoughtSignature } from './gemini.signatures';
import { variantThinkingConfig } from './gemini.thinking';
import type { GeminiModelThinking } from './gemini.types';

export interface GeminiPassthroughOptions {
  /** How the model thinks (the catalog entry's `thinking`): a `-thinking` variant gets its thinkingConfig here. */
  thinking?: GeminiModelThinking;
  /** The model's output limit, which a variant's added budget may not pass. */
  maxOutputTokens?: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of a field in either of the spellings Google reads, and the key it was found under. */
function field(object: Record<string, unknown>, camel: string, snake: string): [string, unknown] | undefined {
  if (object[camel] !== undefined) return [camel, object[camel]];
  if (object[snake] !== undefined) return [snake, object[snake]];
  return undefined;
}

/**
 * A Gemini-format body passed through to Google. The model is in the URL, so the body is the caller's, with only
 * what the gateway owns changed:
 * - a `model` field in the body is removed (the gateway, not the caller, chooses the upstream model);
 * - thought parts carrying another vendor's thinking (`foreign:` signatures, written by the Gemini dialect for a
 *   Claude answer) are removed: Google would refuse a signature it did not write;
 * - a `-thinking` variant gets `thinkingConfig {thinkingBudget: budget or -1, includeThoughts: true}` when the caller
 *   set none (in either spelling), and its budget added to the caller's maxOutputTokens, capped at the model's limit.
 * Every other field, in camelCase or snake_case, reaches Google as the caller sent it.
 */
export function geminiPassthroughBody(body: Buffer, options: GeminiPassthroughOptions = {}): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw GatewayError.invalid('The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw GatewayError.invalid('The request body must be a JSON object.');
  delete parsed.model;
  dropForeignThoughts(parsed);

  const variant = variantThinkingConfig(options.thinking);
  if (variant) {
    const [key, found] = field(parsed, 'generationConfig', 'generation_config') ?? ['generationConfig', {}];
    const config = isPlainObject(found) ? found : {};
    if (!field(config, 'thinkingConfig', 'thinking_config')) {
      config.thinkingConfig = variant.config;
      const max = field(config, 'maxOutputTokens', 'max_output_tokens');
      if (max && typeof max[1] === 'number' && variant.extraOutputTokens > 0) {
        config[max[0]] = Math.min(max[1] + variant.extraOutputTokens, options.maxOutputTokens ?? Number.MAX_SAFE_INTEGER);
      }
    }
    parsed[key] = config;
  }
  return JSON.stringify(parsed);
}

function dropForeignThoughts(body: Record<string, unknown>): void {
  if (!Array.isArray(body.contents)) return;
  body.contents = body.contents.filter((content: unknown) => {
    if (!isPlainObject(content) || !Array.isArray(content.parts)) return true;
    const parts: unknown[] = content.parts;
    const kept = parts.filter((part) => !(isPlainObject(part) && isForeignThoughtSignature(field(part, 'thoughtSignature', 'thought_signature')?.[1])));
    content.parts = kept;
    return kept.length > 0 || parts.length === 0;
  });
}
