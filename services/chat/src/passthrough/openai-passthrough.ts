import { fromOpenAiUsage } from '@apitopmix/providers/openai-compatible';
import { UpstreamUsage } from '@apitopmix/providers/core';
import { GatewayError } from '@apitopmix/platform/errors';
import type { StreamTap } from './stream-tap';

/**
 * The OpenAI-format body passed through to an OpenAI-compatible upstream. Only what the gateway owns changes:
 * the model becomes the upstream's id, and streams always ask for usage (billing needs it).
 * Every other field, including ones this gateway has never heard of, reaches the upstream as the caller sent it.
 */
export function openAiPassthroughBody(body: Buffer, upstreamModel: string, stream: boolean): { json: string; parsed: Record<string, unknown> } {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw GatewayError.invalid('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw GatewayError.invalid('The request body must be a JSON object.');
  parsed.model = upstreamModel;
  if (stream) {
    const options = typeof parsed.stream_options === 'object' && parsed.stream_options !== null ? parsed.stream_options : {};
    parsed.stream_options = { ...options, include_usage: true };
  }
  return { json: JSON.stringify(parsed), parsed };
}

const usageNull = /,\s*"usage"\s*:\s*null/;
const contentDelta = /"content"\s*:\s*"[^"]/;

/**
 * Watches an OpenAI-format stream as it passes: records the upstream's usage, counts content chunks (the estimate
 * if the stream is cut before usage arrives), and removes the usage the caller did not ask for. Chunks are
 * forwarded as the upstream's bytes; only those that mention usage are parsed.
 */
export class OpenAiStreamTap implements StreamTap {
  usage?: UpstreamUsage;
  contentChunks = 0;
  events = 0;

  constructor(private readonly callerWantsUsage: boolean) {}

  /** OpenAI reports usage once, at the end. */
  get usageFinal(): boolean {
    return this.usage !== undefined;
  }

  /** The data to forward for one upstream event, or undefined to forward nothing. */
  process(data: string): string | undefined {
    this.events += 1;
    if (contentDelta.test(data)) this.contentChunks += 1;
    if (data.includes('"usage":{') || data.includes('"usage": {')) {
      const chunk = JSON.parse(data) as { usage?: Parameters<typeof fromOpenAiUsage>[0]; choices?: unknown[] };
      this.usage = fromOpenAiUsage(chunk.usage) ?? this.usage;
      if (this.callerWantsUsage) return data;
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return undefined;
      delete chunk.usage;
      return JSON.stringify(chunk);
    }
    return this.callerWantsUsage ? data : data.replace(usageNull, '');
  }

  /** The OpenAI-compatible client already fails a stream that ended without [DONE] or a finish reason. */
  end(): void {}
}

/** The prompt's text in a Chat Completions body: every string content in the messages. */
export function openAiPromptText(body: { messages?: unknown }): string {
  if (!Array.isArray(body.messages)) return '';
  const parts: string[] = [];
  for (const message of body.messages as { content?: unknown }[]) {
    const content = message?.content;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const part of content as { text?: unknown }[]) if (typeof part?.text === 'string') parts.push(part.text);
  }
  return parts.join('\n');
}
