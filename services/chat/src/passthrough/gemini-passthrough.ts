import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import type { UpstreamUsage } from '@apitopmix/providers/core';
import { geminiUpstreamUsage, GeminiUsageMetadata } from '@apitopmix/providers/gemini';
import type { StreamTap } from './stream-tap';

const usageMetadata = /"usageMetadata"\s*:/;
const textPart = /"text"\s*:\s*"[^"]/;
const finishReason = /"finishReason"\s*:\s*"/;

/**
 * Watches Gemini's stream as it passes, every chunk forwarded as Google sent it. Google repeats the running
 * `usageMetadata` on chunks; only the latest chunk carrying it is kept, and parsed when usage is asked for, so a
 * stream of N chunks is parsed once, not N times. A stream without a `finishReason` was cut off. (An error chunk
 * mid-stream is thrown by the Gemini client before it reaches here.)
 */
export class GeminiStreamTap implements StreamTap {
  contentChunks = 0;
  events = 0;
  /** Google's usage is final on the chunk with the finish reason; before it, output is not counted yet. */
  usageFinal = false;
  private lastUsageChunk?: string;
  private finished = false;

  constructor(private readonly provider: string) {}

  get usage(): UpstreamUsage | undefined {
    if (this.lastUsageChunk === undefined) return undefined;
    try {
      return geminiUpstreamUsage((JSON.parse(this.lastUsageChunk) as { usageMetadata?: GeminiUsageMetadata }).usageMetadata);
    } catch {
      return undefined;
    }
  }

  process(data: string): string {
    this.events += 1;
    if (textPart.test(data)) this.contentChunks += 1;
    const finishing = finishReason.test(data);
    if (finishing) this.finished = true;
    if (usageMetadata.test(data)) {
      this.lastUsageChunk = data;
      if (finishing) this.usageFinal = true;
    }
    return data;
  }

  end(): void {
    if (!this.finished) throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${this.provider}) ended the stream early.`);
  }
}

/** The prompt's text in a generateContent body (either spelling), for the estimate when Google reports no usage. */
export function geminiPromptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const collect = (content: unknown) => {
    const list = (content as { parts?: unknown } | null)?.parts;
    if (Array.isArray(list)) for (const part of list as { text?: unknown }[]) if (typeof part?.text === 'string') parts.push(part.text);
  };
  collect(body.systemInstruction ?? body.system_instruction);
  if (Array.isArray(body.contents)) for (const content of body.contents) collect(content);
  return parts.join('\n');
}
