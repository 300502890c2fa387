import type {
  CanonicalChatRequest,
  CanonicalChatResponse,
  CanonicalMessage,
  CanonicalResponseFormat,
  ImagePart,
  StreamParser,
  ToolResultPart,
  UpstreamFormat,
} from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { fromGeminiResponse } from './gemini.response';
import { GEMINI_THOUGHT_SIGNATURE_PREFIX, SKIP_THOUGHT_SIGNATURE } from './gemini.signatures';
import { GeminiStreamParser } from './gemini.stream-parser';
import { thinkingPlan } from './gemini.thinking';
import type {
  GeminiContent,
  GeminiFunctionCallingConfig,
  GeminiGenerateContentRequest,
  GeminiGenerateContentResponse,
  GeminiGenerationConfig,
  GeminiModelThinking,
  GeminiPart,
  GeminiTool,
} from './gemini.types';

export interface GeminiUpstreamContext {
  upstreamModel: string;
  /** The model's output limit: maxOutputTokens is capped to it. */
  maxOutputTokens?: number;
  /** How the model thinks (the catalog entry's `thinking`): decides the `-thinking` variant and whether 0 may be sent. */
  thinking?: GeminiModelThinking;
}

/** Gemini's limits on the fields the canonical model does not bound. */
const MAX_STOP_SEQUENCES = 5;
const MAX_CANDIDATES = 8;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The Gemini generateContent format: canonical requests to Google's shape and Google's answers back. Every rule
 * is in ../README.md; the ones with a choice in them are commented where they are made.
 */
export class GeminiFormat implements UpstreamFormat<GeminiGenerateContentRequest, GeminiGenerateContentResponse> {
  toUpstream(request: CanonicalChatRequest, context: GeminiUpstreamContext): GeminiGenerateContentRequest {
    const gemini = request.extensions?.gemini ?? {};
    const contents = toContents(request.messages);
    if (contents.length === 0) throw GatewayError.invalid('The request has no messages Gemini can take.', 'messages');
    if (requiresCallSignatures(context.upstreamModel)) signCurrentTurn(contents);

    const body: GeminiGenerateContentRequest = { contents };
    const system = (request.system ?? []).map((part) => ({ text: part.text }));
    if (system.length > 0) body.systemInstruction = { parts: system };
    const generationConfig = toGenerationConfig(request, context, gemini);
    if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
    if (Array.isArray(gemini.safetySettings)) body.safetySettings = gemini.safetySettings;

    const tools: GeminiTool[] = [];
    if (request.tools?.length) {
      tools.push({
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          ...(tool.parameters && Object.keys(tool.parameters).length > 0 ? { parametersJsonSchema: tool.parameters } : {}),
        })),
      });
    }
    if (Array.isArray(gemini.tools)) tools.push(...(gemini.tools as GeminiTool[]));
    if (tools.length > 0) body.tools = tools;

    const functionCallingConfig = isPlainObject(gemini.functionCallingConfig)
      ? (gemini.functionCallingConfig as unknown as GeminiFunctionCallingConfig)
      : toFunctionCalling(request);
    if (functionCallingConfig) body.toolConfig = { functionCallingConfig };
    return body;
  }

  fromUpstream(response: GeminiGenerateContentResponse, context?: { upstreamModel?: string }): CanonicalChatResponse {
    return fromGeminiResponse(response, context?.upstreamModel);
  }

  streamParser(): StreamParser {
    return new GeminiStreamParser();
  }
}

export const geminiFormat = new GeminiFormat();

/**
 * Messages as contents: assistant → model; user and tool → user, tool results as functionResponse parts;
 * consecutive contents of one role merged (Gemini wants the turns to alternate).
 */
function toContents(messages: CanonicalMessage[]): GeminiContent[] {
  const callNames = new Map<string, string>();
  const contents: GeminiContent[] = [];
  messages.forEach((message, mi) => {
    const parts: GeminiPart[] = [];
    const after: GeminiPart[] = [];
    message.content.forEach((part, pi) => {
      switch (part.type) {
        case 'text':
          parts.push({ text: part.text, ...(part.signature ? { thoughtSignature: part.signature } : {}) });
          break;
        case 'image': {
          const media = imagePart(part);
          if (media) parts.push(media);
          break;
        }
        case 'thinking':
          // Only Gemini's own thoughts go back (behind `gemini:`); Anthropic's signatures and unsigned or redacted
          // thinking mean nothing to Gemini, which would refuse a signature it did not write.
          if (message.role === 'assistant' && part.signature?.startsWith(GEMINI_THOUGHT_SIGNATURE_PREFIX)) {
            parts.push({ text: part.text, thought: true, thoughtSignature: part.signature.slice(GEMINI_THOUGHT_SIGNATURE_PREFIX.length) });
          }
          break;
        case 'tool_call':
          callNames.set(part.id, part.name);
          parts.push({
            functionCall: { id: part.id, name: part.name, args: toArgs(part.arguments, part.name) },
            ...(part.signature ? { thoughtSignature: part.signature } : {}),
          });
          break;
        case 'tool_result': {
          const name = part.name ?? callNames.get(part.toolCallId);
          if (!name) {
            throw GatewayError.invalid(
              `The tool result at messages[${mi}].content[${pi}] answers a tool call ('${part.toolCallId}') that is not in the conversation.`,
              'messages',
            );
          }
          parts.push({ functionResponse: { id: part.toolCallId, name, response: toFunctionResponse(part) } });
          // Images a tool returned follow the function responses as parts of the same user turn.
          for (const item of part.content) {
            const media = item.type === 'image' ? imagePart(item) : undefined;
            if (media) after.push(media);
          }
          break;
        }
      }
    });
    const all = [...parts, ...after];
    if (all.length === 0) return;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...all);
    else contents.push({ role, parts: all });
  });
  return contents;
}

function toArgs(json: string, name: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw GatewayError.invalid(`The arguments of the call of tool '${name}' are not a JSON object.`, 'messages');
}

/**
 * A tool's result as functionResponse.response, which must be a JSON object: a result that is one is sent as it is,
 * any other text as `{output}` (or `{error}` when the call failed), Google's documented keys.
 */
function toFunctionResponse(part: ToolResultPart): Record<string, unknown> {
  const text = part.content.map((item) => (item.type === 'text' ? item.text : '')).join('');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed) && (!part.isError || 'error' in parsed)) return parsed;
  } catch {
    // not JSON: wrapped below
  }
  return part.isError ? { error: text } : { output: text };
}

const magicNumbers: [string, string][] = [
  ['/9j/', 'image/jpeg'],
  ['iVBORw0KGgo', 'image/png'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
  ['JVBERi0', 'application/pdf'],
];

const extensions: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
};

/**
 * An image as a part: bytes (or a `data:` URL) → inlineData; any other URL → fileData {fileUri, mimeType}. Gemini
 * fetches a fileData URI itself, and takes only those it can read (Files API URIs, and public HTTP URLs on recent
 * models); for any other it answers 400, which reaches the caller as the upstream's rejection. The media type is
 * the part's, else read from the bytes or the URL's extension, else image/jpeg.
 */
function imagePart(image: ImagePart): GeminiPart | undefined {
  if (image.data !== undefined) {
    return {
      inlineData: { mimeType: image.mediaType ?? magicNumbers.find(([prefix]) => image.data?.startsWith(prefix))?.[1] ?? 'image/jpeg', data: image.data },
    };
  }
  if (image.url === undefined) return undefined;
  const dataUrl = /^data:([^;,]+)?((?:;[^;,]+)*?)(;base64)?,(.*)$/s.exec(image.url);
  if (dataUrl) {
    const data = dataUrl[3] ? dataUrl[4] : Buffer.from(decodeURIComponent(dataUrl[4]), 'utf8').toString('base64');
    return { inlineData: { mimeType: image.mediaType ?? dataUrl[1] ?? 'image/jpeg', data } };
  }
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(image.url)?.[1]?.toLowerCase();
  return { fileData: { fileUri: image.url, mimeType: image.mediaType ?? (extension ? extensions[extension] : undefined) ?? 'image/jpeg' } };
}

/** Gemini 3 and later check function-call signatures; 2.x do not, and are sent none they did not give. */
function requiresCallSignatures(model: string): boolean {
  const major = /gemini-(\d+)/.exec(model)?.[1];
  return major === undefined || Number(major) >= 3;
}

/**
 * Gemini 3 refuses a request whose current turn (the model contents after the last user content that is not only
 * function responses) has a step whose first functionCall has no signature: calls made by another vendor's model,
 * or relayed by a client that cannot carry signatures (OpenAI's format). Those get Google's stand-in signature.
 */
function signCurrentTurn(contents: GeminiContent[]): void {
  let start = contents.length - 1;
  while (start >= 0 && !(contents[start].role === 'user' && contents[start].parts.some((part) => !part.functionResponse))) start -= 1;
  for (const content of contents.slice(start + 1)) {
    if (content.role !== 'model') continue;
    const first = content.parts.find((part) => part.functionCall);
    if (first && !first.thoughtSignature) first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
}

function toGenerationConfig(request: CanonicalChatRequest, context: GeminiUpstreamContext, gemini: Record<string, unknown>): GeminiGenerationConfig {
  // Gemini's own fields the canonical model has no place for come first; the canonical ones are set over them.
  const config: GeminiGenerationConfig = isPlainObject(gemini.generationConfig) ? { ...gemini.generationConfig } : {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.stop?.length) {
    if (request.stop.length > MAX_STOP_SEQUENCES)
      throw GatewayError.invalid(`Invalid value for 'stop': Gemini models take at most ${MAX_STOP_SEQUENCES} stop sequences.`, 'stop');
    config.stopSequences = request.stop;
  }
  if (request.n !== undefined) {
    if (request.n > MAX_CANDIDATES) throw GatewayError.invalid(`Invalid value for 'n': Gemini models give at most ${MAX_CANDIDATES} choices.`, 'n');
    config.candidateCount = request.n;
  }
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  applyResponseFormat(config, request.responseFormat, gemini);

  const plan = thinkingPlan(request.thinking, typeof gemini.thinkingLevel === 'string' ? gemini.thinkingLevel : undefined, context.thinking);
  if (plan.config) config.thinkingConfig = plan.config;
  let maxOutputTokens = request.maxOutputTokens === undefined ? undefined : request.maxOutputTokens + plan.extraOutputTokens;
  if (maxOutputTokens !== undefined && context.maxOutputTokens !== undefined) maxOutputTokens = Math.min(maxOutputTokens, context.maxOutputTokens);
  if (maxOutputTokens !== undefined) config.maxOutputTokens = maxOutputTokens;
  return config;
}

function applyResponseFormat(config: GeminiGenerationConfig, format: CanonicalResponseFormat | undefined, gemini: Record<string, unknown>): void {
  if (typeof gemini.responseMimeType === 'string') {
    // A Gemini-only output type (text/x.enum), kept whole from a Gemini caller.
    config.responseMimeType = gemini.responseMimeType;
    if (gemini.responseSchema !== undefined) config.responseSchema = gemini.responseSchema;
    if (gemini.responseJsonSchema !== undefined) config.responseJsonSchema = gemini.responseJsonSchema;
    return;
  }
  if (!format) return;
  if (format.type === 'text') config.responseMimeType = 'text/plain';
  else {
    config.responseMimeType = 'application/json';
    if (format.type === 'json_schema') config.responseJsonSchema = format.schema;
  }
}

/** auto → AUTO, none → NONE, required → ANY, one tool → ANY limited to its name. parallelToolCalls has no Gemini switch. */
function toFunctionCalling(request: CanonicalChatRequest): GeminiFunctionCallingConfig | undefined {
  const choice = request.toolChoice;
  if (!choice) return undefined;
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}
