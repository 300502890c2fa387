/**
 * A tokenizer-free estimate, used only when an upstream reports no usage (a stream cut short): about four
 * characters per token for English text, as OpenAI documents. Events carrying it are marked `tokensEstimated`.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The prompt's text as the upstream would see it, roughly: every string content in the messages. */
export function promptText(body: { messages?: unknown }): string {
  if (!Array.isArray(body.messages)) return '';
  const parts: string[] = [];
  for (const message of body.messages as { content?: unknown }[]) {
    const content = message?.content;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const part of content as { text?: unknown }[]) if (typeof part?.text === 'string') parts.push(part.text);
  }
  return parts.join('\n');
}
