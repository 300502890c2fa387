import { GatewayError } from '@apitopmix/platform/errors';
import { enableThinking } from './anthropic.thinking';

export interface AnthropicPassthroughOptions {
  /** Set for a `-thinking` variant: thinking is added, with this budget, when the caller set no `thinking` itself. */
  thinking?: { budgetTokens?: number };
  /** The model's output limit, which a max_tokens raised for thinking stays under. */
  maxOutputTokens?: number;
}

/**
 * The body an Anthropic-format caller sent, for an Anthropic upstream: lossless, every field kept as sent, except
 * - `model` becomes the upstream's model id;
 * - the gateway's own extension fields are removed: `signature` on text and tool_use blocks (Gemini's, which
 *   Anthropic would reject as an unknown field);
 * - for a `-thinking` variant whose caller set no `thinking`, thinking is added by the same rule as for translated
 *   requests (budget, max_tokens raised for it, temperature and top_k removed, top_p at least 0.95), unless the
 *   request forces a tool or continues a tool turn that started without thinking.
 */
export function anthropicPassthroughBody(body: Buffer, upstreamModel: string, options: AnthropicPassthroughOptions = {}): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw GatewayError.invalid('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw GatewayError.invalid('The request body must be a JSON object.');
  const request = parsed as Record<string, unknown> & { max_tokens: number };
  request.model = upstreamModel;

  if (Array.isArray(request.messages)) {
    for (const message of request.messages as { content?: unknown }[]) {
      if (!Array.isArray(message?.content)) continue;
      for (const block of message.content as Record<string, unknown>[]) {
        if ((block?.type === 'text' || block?.type === 'tool_use') && 'signature' in block) delete block.signature;
      }
    }
  }

  if (options.thinking && request.thinking == null && typeof request.max_tokens === 'number') {
    enableThinking(request, { requestedBudget: options.thinking.budgetTokens, modelMaxOutputTokens: options.maxOutputTokens });
  }
  return JSON.stringify(request);
}
