// Decides, with no I/O, what a GenerateContentResponse contains: per candidate its thought, text or function-call
// parts and finish reason, and the usage counts. The JSON, SSE and JSON-array renderers all read this plan.
import { countTokens, seedFrom, splitTokens, truncateReply } from '../shared/deterministic-text';
import { IMAGE_INPUT_TOKENS } from '../shared/image-inputs';
import { planReply, type ConversationFacts, type ToolChoice } from '../shared/reply-planner';
import { exampleFromSchema } from '../shared/schema-values';
import { functionCallSignature } from '../shared/signatures';
import { roleOf, thinkingOn, type Content, type GenerateContentRequest, type Part } from './gemini-generate.request';

export type FinishReason = 'STOP' | 'MAX_TOKENS';

/** A response part as Gemini sends it. */
export type OutPart =
  { text: string; thought?: true; thoughtSignature?: string } | { functionCall: { name: string; args: Record<string, unknown> }; thoughtSignature?: string };

export interface CandidatePlan {
  index: number;
  /** The parts in the order they are sent; streamed one per chunk. */
  parts: OutPart[];
  /** The same content cut into stream pieces (one text token, or one whole function call, per piece). */
  pieces: OutPart[];
  finishReason: FinishReason;
  candidateTokens: number;
  thoughtsTokens: number;
}

export interface PromptTokens {
  text: number;
  image: number;
}

export interface GeneratePlan {
  candidates: CandidatePlan[];
  prompt: PromptTokens;
  candidatesTokens: number;
  /** Present when thinking is on (counted even when thoughts are not returned), as Gemini reports it. */
  thoughtsTokens: number | null;
}

const TOKENS_PER_CONTENT = 3;

export function planGenerateContent(request: GenerateContentRequest, model: string): GeneratePlan {
  const facts = conversationFacts(request, model);
  const config = request.generationConfig ?? {};
  const includeThoughts = config.thinkingConfig?.includeThoughts === true;
  const json = config.responseMimeType === 'application/json';
  const schema = config.responseJsonSchema ?? config.responseSchema;

  const candidates = Array.from({ length: config.candidateCount ?? 1 }, (_, index): CandidatePlan => {
    const { thinking, reply } = planReply(facts, index);
    const thoughtPieces = thinking === null ? [] : splitTokens(thinking);
    const thoughtParts: OutPart[] = includeThoughts && thinking !== null ? [{ text: thinking, thought: true }] : [];
    const thoughtStream: OutPart[] = includeThoughts ? thoughtPieces.map((text) => ({ text, thought: true })) : [];

    if (reply.kind === 'tool_call') {
      const call: OutPart = {
        functionCall: { name: reply.name, args: reply.arguments },
        // Gemini 3 signs function calls when thinking; the client must send the signature back with the call.
        ...(facts.thinking ? { thoughtSignature: functionCallSignature(reply.name, reply.arguments) } : {}),
      };
      return {
        index,
        parts: [...thoughtParts, call],
        pieces: [...thoughtStream, call],
        finishReason: 'STOP',
        candidateTokens: countTokens(JSON.stringify(reply.arguments)),
        thoughtsTokens: thoughtPieces.length,
      };
    }
    // Structured output: JSON text shaped by the response schema, or the reply wrapped in an object.
    const full = json ? JSON.stringify(schema !== undefined ? exampleFromSchema(schema, 'response') : { reply: reply.text }) : reply.text;
    const text = truncateReply(full, { stop: config.stopSequences, maxTokens: config.maxOutputTokens });
    return {
      index,
      parts: [...thoughtParts, { text: text.text }],
      // An empty text still gets one chunk, so the stream can carry the finish reason.
      pieces: [...thoughtStream, ...(text.pieces.length > 0 ? text.pieces.map((t) => ({ text: t })) : [{ text: '' }])],
      finishReason: text.reason === 'length' ? 'MAX_TOKENS' : 'STOP',
      candidateTokens: text.pieces.length,
      thoughtsTokens: thoughtPieces.length,
    };
  });

  return {
    candidates,
    prompt: countPromptTokens(request),
    candidatesTokens: candidates.reduce((sum, c) => sum + c.candidateTokens, 0),
    thoughtsTokens: facts.thinking ? candidates.reduce((sum, c) => sum + c.thoughtsTokens, 0) : null,
  };
}

export function conversationFacts(request: GenerateContentRequest, model: string): ConversationFacts {
  const { contents } = request;
  const last = contents[contents.length - 1];
  const lastUser = [...contents].reverse().find((c) => roleOf(c) === 'user') ?? last;
  const parts = lastUser.parts ?? [];
  const calling = request.toolConfig?.functionCallingConfig;
  return {
    subject: parts.flatMap((p) => (p.text !== undefined && !p.thought ? [p.text] : [])).join('\n'),
    imageMimeTypes: parts.flatMap((p) => imageMimeType(p) ?? []),
    endsWithUser: roleOf(last) === 'user',
    toolResults:
      roleOf(last) === 'user'
        ? (last.parts ?? []).flatMap((p) =>
            p.functionResponse ? [{ name: p.functionResponse.name, content: JSON.stringify(p.functionResponse.response) }] : [],
          )
        : [],
    tools: (request.tools ?? []).flatMap((tool) =>
      (tool.functionDeclarations ?? []).map((d) => ({ name: d.name, schema: d.parametersJsonSchema ?? d.parameters })),
    ),
    toolChoice: toolChoiceOf(calling?.mode, calling?.allowedFunctionNames),
    thinking: thinkingOn(request, model),
    seed: seedFrom(contents, request.systemInstruction ?? null, request.generationConfig?.seed ?? null),
  };
}

function toolChoiceOf(mode: string | undefined, allowed: string[] | undefined): ToolChoice {
  if (mode === 'NONE') return { mode: 'none' };
  if (mode === 'ANY') return { mode: 'required', name: allowed?.[0] };
  return { mode: 'auto' };
}

function imageMimeType(part: Part): string | undefined {
  const mimeType = part.inlineData?.mimeType ?? part.fileData?.mimeType;
  return mimeType?.startsWith('image/') ? mimeType : undefined;
}

/**
 * Prompt tokens: for each content (system instruction included) 3 framing + its text parts + 85 per image +
 * function calls and responses as JSON; plus the tool declarations as JSON. Images are reported apart, as
 * Gemini's promptTokensDetails do.
 */
export function countPromptTokens(request: Pick<GenerateContentRequest, 'contents' | 'systemInstruction' | 'tools'>): PromptTokens {
  const all: Content[] = [...(request.systemInstruction ? [request.systemInstruction] : []), ...request.contents];
  let text = 0;
  let image = 0;
  for (const content of all) {
    text += TOKENS_PER_CONTENT;
    for (const part of content.parts ?? []) {
      if (imageMimeType(part)) image += IMAGE_INPUT_TOKENS;
      else if (part.text !== undefined) text += countTokens(part.text);
      else if (part.functionCall) text += countTokens(JSON.stringify(part.functionCall));
      else if (part.functionResponse) text += countTokens(JSON.stringify(part.functionResponse));
      else if (part.inlineData || part.fileData) text += countTokens(JSON.stringify(part.inlineData?.mimeType ?? part.fileData));
    }
  }
  if (request.tools) text += countTokens(JSON.stringify(request.tools));
  return { text, image };
}
