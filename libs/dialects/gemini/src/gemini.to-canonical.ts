import type {
  CanonicalChatRequest,
  CanonicalMessage,
  CanonicalPart,
  CanonicalResponseFormat,
  CanonicalThinking,
  CanonicalTool,
  CanonicalToolChoice,
  ImagePart,
  TextPart,
  ThinkingPart,
  ToolResultPart,
} from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { openApiSchemaToJsonSchema } from './gemini-schema';
import { thoughtSignatureToCanonical } from './gemini-signatures';
import type { GeminiGenerateContentRequest, GeminiInboundRequest, GeminiRequestPart } from './gemini.request';

type GenerationConfig = NonNullable<GeminiGenerateContentRequest['generationConfig']>;

/** generationConfig fields the canonical model has a place for; any other travels in `extensions.gemini.generationConfig`. */
const mappedGenerationFields = new Set([
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'stopSequences',
  'candidateCount',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
]);

/** Part kinds only Gemini itself can take (code execution): refused on the way to another format. */
const geminiOnlyParts = ['executableCode', 'codeExecutionResult'] as const;

/**
 * Gemini may leave function calls without ids. Each call gets its own id or `call_<n>` (n counts the calls of the
 * request from 0, so the ids are the same every time the history is sent); a functionResponse takes its own id, or
 * the id of the earliest unanswered call of the same name.
 */
class CallIds {
  private next = 0;
  private readonly pending: { id: string; name: string }[] = [];

  forCall(call: { id?: string; name: string }): string {
    const id = call.id ?? `call_${this.next}`;
    this.next += 1;
    this.pending.push({ id, name: call.name });
    return id;
  }

  forResponse(response: { id?: string; name: string }): string {
    const byId = response.id === undefined ? -1 : this.pending.findIndex((call) => call.id === response.id);
    const index = byId >= 0 || response.id !== undefined ? byId : this.pending.findIndex((call) => call.name === response.name);
    if (index >= 0) return this.pending.splice(index, 1)[0].id;
    if (response.id !== undefined) return response.id;
    const id = `call_${this.next}`; // a result whose call is not in the history
    this.next += 1;
    return id;
  }
}

/** A Gemini request (model and streaming from the URL) as the canonical request. Rules: ../README.md. */
export function geminiToCanonical(request: GeminiInboundRequest): CanonicalChatRequest {
  const { body } = request;
  const gemini: Record<string, unknown> = {};
  const canonical: CanonicalChatRequest = { model: request.model, messages: toMessages(body), stream: request.stream };

  const system = toSystem(body);
  if (system.length > 0) canonical.system = system;
  if (body.generationConfig) applyGenerationConfig(canonical, body.generationConfig, gemini);
  applyTools(canonical, body, gemini);
  if (body.safetySettings) gemini.safetySettings = body.safetySettings;
  if (Object.keys(gemini).length > 0) canonical.extensions = { gemini };
  return canonical;
}

function toSystem(body: GeminiGenerateContentRequest): TextPart[] {
  return (body.systemInstruction?.parts ?? []).map((part, i) => {
    if (typeof part.text !== 'string' || part.thought) {
      throw GatewayError.invalid(
        `Invalid value at 'systemInstruction.parts[${i}]': only text parts are supported in systemInstruction.`,
        `systemInstruction.parts[${i}]`,
      );
    }
    return { type: 'text', text: part.text };
  });
}

function toMessages(body: GeminiGenerateContentRequest): CanonicalMessage[] {
  const ids = new CallIds();
  const messages: CanonicalMessage[] = [];
  const push = (role: CanonicalMessage['role'], content: CanonicalPart[]) => {
    if (content.length > 0) messages.push({ role, content });
  };

  // Consecutive model contents are one turn: Google's SDK keeps a streamed answer as one content per chunk.
  let modelTurn: Located[] = [];
  const endModelTurn = () => {
    push('assistant', modelParts(modelTurn, ids));
    modelTurn = [];
  };
  body.contents.forEach((content, ci) => {
    if (content.role === 'model') {
      modelTurn.push(...content.parts.map((part, pi) => ({ part, at: `contents[${ci}].parts[${pi}]` })));
      return;
    }
    endModelTurn();
    // A user content may mix function responses and other parts: each run becomes its own message, in order.
    let run: CanonicalPart[] = [];
    let runRole: 'user' | 'tool' = 'user';
    content.parts.forEach((part, pi) => {
      const role = part.functionResponse ? 'tool' : 'user';
      if (role !== runRole) {
        push(runRole, run);
        run = [];
        runRole = role;
      }
      run.push(...userPart(part, `contents[${ci}].parts[${pi}]`, ids));
    });
    push(runRole, run);
  });
  endModelTurn();
  return messages;
}

/** A part and its path in the request, for errors. */
type Located = { part: GeminiRequestPart; at: string };

/**
 * A model turn's parts. Consecutive thought parts are one thinking block (a streamed thought arrives in pieces, its
 * signature on the last one), closed by the part that carries the signature.
 */
function modelParts(parts: Located[], ids: CallIds): CanonicalPart[] {
  const out: CanonicalPart[] = [];
  let thinking: ThinkingPart | undefined;
  parts.forEach(({ part, at }) => {
    if (part.thought) {
      if (part.functionCall || part.functionResponse || part.inlineData || part.fileData) {
        throw GatewayError.invalid(`Invalid value at '${at}.thought': only text parts can be thoughts.`, `${at}.thought`);
      }
      thinking ??= { type: 'thinking', text: '' };
      thinking.text += part.text ?? '';
      if (part.thoughtSignature) {
        out.push({ ...thinking, ...thoughtSignatureToCanonical(part.thoughtSignature) });
        thinking = undefined;
      }
      return;
    }
    if (thinking) {
      out.push(thinking);
      thinking = undefined;
    }
    if (part.functionCall) {
      const call = part.functionCall;
      out.push({
        type: 'tool_call',
        id: ids.forCall(call),
        name: call.name,
        arguments: JSON.stringify(call.args ?? {}),
        ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
      });
    } else if (part.functionResponse) {
      throw GatewayError.invalid(`Invalid value at '${at}.functionResponse': function responses belong in user contents.`, `${at}.functionResponse`);
    } else {
      out.push(...commonPart(part, at));
    }
  });
  if (thinking) out.push(thinking);
  return out;
}

function userPart(part: GeminiRequestPart, at: string, ids: CallIds): CanonicalPart[] {
  if (part.functionCall) {
    throw GatewayError.invalid(`Invalid value at '${at}.functionCall': function calls belong in model contents.`, `${at}.functionCall`);
  }
  if (!part.functionResponse) return commonPart(part, at);
  const response = part.functionResponse;
  const result: ToolResultPart = {
    type: 'tool_result',
    toolCallId: ids.forResponse(response),
    name: response.name,
    content: [{ type: 'text', text: JSON.stringify(response.response) }, ...functionResponseImages(response.parts)],
  };
  // Google's convention: `error` (without `output`) holds the failure of a call.
  if ('error' in response.response && !('output' in response.response)) result.isError = true;
  return [result];
}

function functionResponseImages(parts: Record<string, unknown>[] | undefined): ImagePart[] {
  const images: ImagePart[] = [];
  for (const part of parts ?? []) {
    const inline = part.inlineData as { mimeType?: unknown; data?: unknown } | undefined;
    if (inline && typeof inline.data === 'string')
      images.push({ type: 'image', data: inline.data, ...(typeof inline.mimeType === 'string' ? { mediaType: inline.mimeType } : {}) });
  }
  return images;
}

/** Text and media parts, the same in user and model contents. */
function commonPart(part: GeminiRequestPart, at: string): CanonicalPart[] {
  for (const kind of geminiOnlyParts) {
    if (part[kind] !== undefined)
      throw GatewayError.invalid(`Invalid value at '${at}.${kind}': ${kind} parts can be sent to Gemini models only.`, `${at}.${kind}`);
  }
  if (part.inlineData) return [{ type: 'image', mediaType: part.inlineData.mimeType, data: part.inlineData.data }];
  if (part.fileData) return [{ type: 'image', url: part.fileData.fileUri, ...(part.fileData.mimeType ? { mediaType: part.fileData.mimeType } : {}) }];
  // A part may be only a signature: Gemini signs the last part of an answer, sometimes an empty one.
  if (typeof part.text === 'string' || part.thoughtSignature) {
    return [{ type: 'text', text: part.text ?? '', ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) }];
  }
  return [];
}

function applyGenerationConfig(canonical: CanonicalChatRequest, config: GenerationConfig, gemini: Record<string, unknown>): void {
  if (config.temperature !== undefined) canonical.temperature = config.temperature;
  if (config.topP !== undefined) canonical.topP = config.topP;
  if (config.topK !== undefined) canonical.topK = config.topK;
  if (config.maxOutputTokens !== undefined) canonical.maxOutputTokens = config.maxOutputTokens;
  if (config.stopSequences !== undefined && config.stopSequences.length > 0) canonical.stop = config.stopSequences;
  if (config.candidateCount !== undefined) canonical.n = config.candidateCount;
  if (config.seed !== undefined) canonical.seed = config.seed;
  if (config.presencePenalty !== undefined) canonical.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) canonical.frequencyPenalty = config.frequencyPenalty;

  const format = toResponseFormat(config, gemini);
  if (format) canonical.responseFormat = format;

  const thinking = config.thinkingConfig;
  if (thinking) {
    const budget = thinking.thinkingBudget;
    const canonicalThinking: CanonicalThinking = { enabled: budget !== 0, includeThoughts: thinking.includeThoughts ?? false };
    if (budget !== undefined && budget > 0) canonicalThinking.budgetTokens = budget;
    canonical.thinking = canonicalThinking;
    if (thinking.thinkingLevel !== undefined) gemini.thinkingLevel = thinking.thinkingLevel.toLowerCase();
  }

  const rest = Object.fromEntries(Object.entries(config).filter(([key]) => !mappedGenerationFields.has(key)));
  if (Object.keys(rest).length > 0) gemini.generationConfig = rest;
}

function toResponseFormat(config: GenerationConfig, gemini: Record<string, unknown>): CanonicalResponseFormat | undefined {
  const mime = config.responseMimeType;
  if (mime === undefined) return undefined;
  if (mime === 'text/plain') return { type: 'text' };
  if (mime !== 'application/json') {
    // text/x.enum and any later type: Gemini's own, kept whole.
    gemini.responseMimeType = mime;
    if (config.responseSchema !== undefined) gemini.responseSchema = config.responseSchema;
    if (config.responseJsonSchema !== undefined) gemini.responseJsonSchema = config.responseJsonSchema;
    return undefined;
  }
  if (config.responseJsonSchema !== undefined) return { type: 'json_schema', schema: asSchema(config.responseJsonSchema) };
  if (config.responseSchema !== undefined) return { type: 'json_schema', schema: asSchema(openApiSchemaToJsonSchema(config.responseSchema)) };
  return { type: 'json_object' };
}

const asSchema = (schema: unknown): Record<string, unknown> => (typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>) : {});

function applyTools(canonical: CanonicalChatRequest, body: GeminiGenerateContentRequest, gemini: Record<string, unknown>): void {
  const tools: CanonicalTool[] = [];
  const otherTools: Record<string, unknown>[] = [];
  for (const tool of body.tools ?? []) {
    const { functionDeclarations, ...other } = tool;
    for (const declaration of functionDeclarations ?? []) {
      const parameters =
        declaration.parametersJsonSchema !== undefined
          ? asSchema(declaration.parametersJsonSchema)
          : declaration.parameters !== undefined
            ? asSchema(openApiSchemaToJsonSchema(declaration.parameters))
            : { type: 'object', properties: {} };
      tools.push({ name: declaration.name, ...(declaration.description !== undefined ? { description: declaration.description } : {}), parameters });
    }
    // googleSearch, codeExecution, urlContext, ...: Gemini's own tools.
    if (Object.keys(other).length > 0) otherTools.push(other);
  }
  if (tools.length > 0) canonical.tools = tools;
  if (otherTools.length > 0) gemini.tools = otherTools;

  const config = body.toolConfig?.functionCallingConfig;
  if (!config) return;
  const choice = toToolChoice(config);
  if (choice) canonical.toolChoice = choice;
  const names = config.allowedFunctionNames ?? [];
  // What the canonical choice cannot say exactly (VALIDATED, several allowed names) is kept whole for Gemini.
  if (config.mode === 'VALIDATED' || names.length > 1) gemini.functionCallingConfig = config;
}

function toToolChoice(config: { mode?: string; allowedFunctionNames?: string[] }): CanonicalToolChoice | undefined {
  const names = config.allowedFunctionNames ?? [];
  switch (config.mode) {
    case 'AUTO':
    case 'VALIDATED':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
      return names.length === 1 ? { type: 'tool', name: names[0] } : { type: 'required' };
    default:
      return undefined;
  }
}
