import { CanonicalChatRequest, CanonicalChatResponse, CanonicalPart, CanonicalStreamEvent, chat } from '@apitopmix/contracts';

/**
 * Prompts and completions as the GenAI conventions' `gen_ai.input.messages` / `gen_ai.output.messages` JSON
 * (`[{role, parts: [{type: "text", content}]}]`), text parts only. Used only when an operator turned content
 * capture on (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true); never on the default path.
 */
export interface GenAiMessage {
  role: string;
  parts: { type: 'text'; content: string }[];
  finish_reason?: string;
}

type Json = Record<string, unknown>;

const text = (content: string): GenAiMessage['parts'] => (content ? [{ type: 'text', content }] : []);

/** Text of a content that is a string or a list of blocks with `text` (OpenAI's and Anthropic's shapes). */
function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (typeof (block as Json)?.text === 'string' ? ((block as Json).text as string) : '')).join('');
}

function partsText(parts: CanonicalPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** The prompt of a request, in whichever format it reached chat. */
export function inputMessages(format: chat.WireFormat, body: string | CanonicalChatRequest): GenAiMessage[] {
  if (format === chat.WireFormat.WIRE_FORMAT_CANONICAL) {
    const request = body as CanonicalChatRequest;
    return [
      ...(request.system?.length ? [{ role: 'system', parts: text(partsText(request.system)) }] : []),
      ...request.messages.map((m) => ({ role: m.role, parts: text(partsText(m.content)) })),
    ];
  }
  const json = JSON.parse(body as string) as Json;
  if (format === chat.WireFormat.WIRE_FORMAT_GEMINI) {
    const system = json.systemInstruction as Json | undefined;
    const contents = (json.contents as Json[] | undefined) ?? [];
    return [
      ...(system ? [{ role: 'system', parts: text(blocksText(system.parts)) }] : []),
      ...contents.map((c) => ({ role: c.role === 'model' ? 'assistant' : String(c.role ?? 'user'), parts: text(blocksText(c.parts)) })),
    ];
  }
  const system = format === chat.WireFormat.WIRE_FORMAT_ANTHROPIC_MESSAGES && json.system !== undefined ? blocksText(json.system) : '';
  const messages = (json.messages as Json[] | undefined) ?? [];
  return [...(system ? [{ role: 'system', parts: text(system) }] : []), ...messages.map((m) => ({ role: String(m.role), parts: text(blocksText(m.content)) }))];
}

/** The completion of a whole (non-streamed) answer. */
export function outputMessages(format: chat.WireFormat, body: Buffer | CanonicalChatResponse): GenAiMessage[] {
  if (format === chat.WireFormat.WIRE_FORMAT_CANONICAL) {
    return (body as CanonicalChatResponse).choices.map((c) => ({ role: 'assistant', parts: text(partsText(c.content)), finish_reason: c.stopReason }));
  }
  const json = JSON.parse((body as Buffer).toString('utf8')) as Json;
  if (format === chat.WireFormat.WIRE_FORMAT_GEMINI) {
    return ((json.candidates as Json[] | undefined) ?? []).map((c) => ({
      role: 'assistant',
      parts: text(blocksText((c.content as Json | undefined)?.parts)),
      finish_reason: String(c.finishReason ?? ''),
    }));
  }
  if (format === chat.WireFormat.WIRE_FORMAT_ANTHROPIC_MESSAGES) {
    return [{ role: 'assistant', parts: text(blocksText(json.content)), finish_reason: String(json.stop_reason ?? '') }];
  }
  return ((json.choices as Json[] | undefined) ?? []).map((c) => ({
    role: 'assistant',
    parts: text(blocksText((c.message as Json | undefined)?.content)),
    finish_reason: String(c.finish_reason ?? ''),
  }));
}

/** Collects a streamed completion's text, event by event. */
export class StreamedText {
  private text = '';

  constructor(private readonly format: chat.WireFormat) {}

  /** One event's data: a canonical event, or the upstream's own event JSON for a pass-through. */
  add(data: string | CanonicalStreamEvent): void {
    if (typeof data !== 'string') {
      if (data.type === 'text_delta') this.text += data.text;
      return;
    }
    let json: Json;
    try {
      json = JSON.parse(data) as Json;
    } catch {
      return; // `[DONE]` and the like
    }
    if (this.format === chat.WireFormat.WIRE_FORMAT_GEMINI) {
      const candidate = (json.candidates as Json[] | undefined)?.[0];
      this.text += blocksText((candidate?.content as Json | undefined)?.parts);
    } else if (this.format === chat.WireFormat.WIRE_FORMAT_ANTHROPIC_MESSAGES) {
      if (json.type === 'content_block_delta') this.text += blocksText([json.delta]);
    } else {
      const delta = ((json.choices as Json[] | undefined)?.[0]?.delta as Json | undefined)?.content;
      if (typeof delta === 'string') this.text += delta;
    }
  }

  messages(): GenAiMessage[] {
    return [{ role: 'assistant', parts: text(this.text) }];
  }
}
