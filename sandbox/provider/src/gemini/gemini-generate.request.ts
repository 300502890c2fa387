// GenerateContentRequest as the Gemini API validates it: lowerCamel or snake_case field names, unknown fields
// refused at the request, content, part and generation-config levels (so a gateway leaking another format's
// fields is caught), one data field per part, function responses right after function calls, and Gemini 3's rule
// that function calls come back with the thoughtSignature they were issued with.
import { z } from 'zod';
import { isValidFunctionCallSignature } from '../shared/signatures';
import { GeminiError } from './gemini-error';
import { camelKeys, camelToSnake, fieldViolation, mapArray, parseGeminiJsonBody } from './gemini-validation';

const blobSchema = z.strictObject({ mimeType: z.string().min(1), data: z.string() });
const fileDataSchema = z.strictObject({ mimeType: z.string().optional(), fileUri: z.string().min(1) });
const functionCallSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});
const functionResponseSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  response: z.record(z.string(), z.unknown()),
});

/** The `data` oneof of a Part: exactly one must be set. */
export const PART_DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'] as const;

const partSchema = z.strictObject({
  text: z.string().optional(),
  inlineData: blobSchema.optional(),
  fileData: fileDataSchema.optional(),
  functionCall: functionCallSchema.optional(),
  functionResponse: functionResponseSchema.optional(),
  executableCode: z.looseObject({}).optional(),
  codeExecutionResult: z.looseObject({}).optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  videoMetadata: z.looseObject({}).optional(),
  partMetadata: z.looseObject({}).optional(),
  mediaResolution: z.unknown().optional(),
});

const contentSchema = z.strictObject({ role: z.string().optional(), parts: z.array(partSchema).optional() });

const thinkingConfigSchema = z.strictObject({
  thinkingBudget: z.number().int().min(-1).optional(),
  includeThoughts: z.boolean().optional(),
  thinkingLevel: z.string().optional(),
});

const generationConfigSchema = z.strictObject({
  stopSequences: z.array(z.string()).max(5).optional(),
  responseMimeType: z.string().optional(),
  responseSchema: z.unknown().optional(),
  responseJsonSchema: z.unknown().optional(),
  responseModalities: z.array(z.string()).optional(),
  candidateCount: z.number().int().min(1).max(8).optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().min(0).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseLogprobs: z.boolean().optional(),
  logprobs: z.number().int().optional(),
  enableEnhancedCivicAnswers: z.boolean().optional(),
  speechConfig: z.unknown().optional(),
  imageConfig: z.unknown().optional(),
  mediaResolution: z.string().optional(),
  audioTimestamp: z.boolean().optional(),
  routingConfig: z.unknown().optional(),
  modelConfig: z.unknown().optional(),
  thinkingConfig: thinkingConfigSchema.optional(),
});

const functionDeclarationSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.unknown().optional(),
  parametersJsonSchema: z.unknown().optional(),
});

const toolSchema = z.looseObject({ functionDeclarations: z.array(functionDeclarationSchema).optional() });

const toolConfigSchema = z.looseObject({
  functionCallingConfig: z
    .looseObject({
      mode: z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']).optional(),
      allowedFunctionNames: z.array(z.string()).optional(),
    })
    .optional(),
});

const safetySettingSchema = z.strictObject({ category: z.string(), threshold: z.string(), method: z.string().optional() });

export const generateContentRequestSchema = z.strictObject({
  model: z.string().optional(),
  contents: z.array(contentSchema).min(1),
  systemInstruction: contentSchema.optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfigSchema.optional(),
  safetySettings: z.array(safetySettingSchema).optional(),
  generationConfig: generationConfigSchema.optional(),
  cachedContent: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const countTokensRequestSchema = z.strictObject({
  contents: z.array(contentSchema).optional(),
  generateContentRequest: generateContentRequestSchema.optional(),
});

export type GenerateContentRequest = z.infer<typeof generateContentRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
export type Content = z.infer<typeof contentSchema>;
export type Part = z.infer<typeof partSchema>;

/**
 * Dummy signatures Google documents for histories that did not come from Gemini (the validator skips them).
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_SIGNATURE_VALUES: ReadonlySet<string> = new Set(['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go']);

export function parseGenerateContentRequest(raw: string, model: string): GenerateContentRequest {
  const request = parseGeminiJsonBody(generateContentRequestSchema, raw, normaliseRequest);
  checkContents(request.contents, ['contents']);
  checkFunctionTurns(request.contents);
  checkThoughtSignatures(request, model);
  return request;
}

export function parseCountTokensRequest(raw: string): CountTokensRequest {
  const request = parseGeminiJsonBody(countTokensRequestSchema, raw, (json) => {
    const out = camelKeys(json);
    if (out === null || typeof out !== 'object') return out;
    const fields = out as Record<string, unknown>;
    if ('contents' in fields) fields.contents = mapArray(fields.contents, normaliseContent);
    if ('generateContentRequest' in fields) fields.generateContentRequest = normaliseRequest(fields.generateContentRequest);
    return fields;
  });
  if (request.contents) checkContents(request.contents, ['contents']);
  if (request.generateContentRequest) checkContents(request.generateContentRequest.contents, ['generate_content_request', 'contents']);
  if (!request.contents && !request.generateContentRequest) {
    throw GeminiError.invalidArgument('* CountTokensRequest.contents: contents is not specified\n');
  }
  return request;
}

/**
 * Thinking is on with `includeThoughts`, a non-zero `thinkingBudget` (-1 is dynamic) or a `thinkingLevel`, and
 * always for Gemini 3 model ids, whose thinking cannot be turned off.
 */
export function thinkingOn(request: GenerateContentRequest, model: string): boolean {
  const config = request.generationConfig?.thinkingConfig;
  if (/gemini-3/i.test(model)) return true;
  if (!config) return false;
  return config.includeThoughts === true || (config.thinkingBudget !== undefined && config.thinkingBudget !== 0) || config.thinkingLevel !== undefined;
}

/** `''` and absent roles mean `user`, as Gemini treats them. */
export function roleOf(content: Content): 'user' | 'model' {
  return content.role === 'model' ? 'model' : 'user';
}

// --- key normalisation -------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withCamelKeys(value: unknown, nested: Record<string, (v: unknown) => unknown>): unknown {
  const out = camelKeys(value);
  if (!isObject(out)) return out;
  for (const [key, f] of Object.entries(nested)) if (key in out) out[key] = f(out[key]);
  return out;
}

function normalisePart(part: unknown): unknown {
  // Only the wrappers' own keys: function args and responses are the caller's data, never renamed.
  return withCamelKeys(part, {
    inlineData: camelKeys,
    fileData: camelKeys,
    functionCall: camelKeys,
    functionResponse: camelKeys,
    executableCode: camelKeys,
    codeExecutionResult: camelKeys,
    videoMetadata: camelKeys,
  });
}

function normaliseContent(content: unknown): unknown {
  return withCamelKeys(content, { parts: (parts) => mapArray(parts, normalisePart) });
}

function normaliseRequest(json: unknown): unknown {
  return withCamelKeys(json, {
    contents: (contents) => mapArray(contents, normaliseContent),
    systemInstruction: normaliseContent,
    generationConfig: (config) => withCamelKeys(config, { thinkingConfig: camelKeys }),
    tools: (tools) => mapArray(tools, (tool) => withCamelKeys(tool, { functionDeclarations: (decls) => mapArray(decls, camelKeys) })),
    toolConfig: (config) => withCamelKeys(config, { functionCallingConfig: camelKeys }),
    safetySettings: (settings) => mapArray(settings, camelKeys),
  });
}

// --- checks beyond the schema ------------------------------------------------------------------------------

function checkContents(contents: readonly Content[], at: readonly (string | number)[]): void {
  contents.forEach((content, i) => {
    if (content.role !== undefined && content.role !== '' && content.role !== 'user' && content.role !== 'model') {
      throw GeminiError.invalidArgument('Please use a valid role: user, model.');
    }
    if (!content.parts || content.parts.length === 0) {
      throw fieldViolation([...at, i, 'parts'], 'contents.parts must not be empty.');
    }
    content.parts.forEach((part, p) => {
      const set = PART_DATA_FIELDS.filter((field) => part[field] !== undefined);
      // A part holding only a thought signature is what Gemini itself returns at the end of some streams.
      if (set.length === 0 && part.thoughtSignature === undefined) {
        throw fieldViolation([...at, i, 'parts', p, 'data'], "required oneof field 'data' must have one initialized field");
      }
      if (set.length > 1) {
        throw GeminiError.invalidArgument(`Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${camelToSnake(set[1])}'`);
      }
    });
  });
}

function functionCalls(content: Content | undefined): Part[] {
  return content && roleOf(content) === 'model' ? (content.parts ?? []).filter((p) => p.functionCall) : [];
}

/** Function responses answer the function calls of the content just before them, one for one. */
function checkFunctionTurns(contents: readonly Content[]): void {
  contents.forEach((content, i) => {
    const responses = (content.parts ?? []).filter((p) => p.functionResponse);
    if (responses.length === 0 || roleOf(content) !== 'user') return;
    const calls = functionCalls(contents[i - 1]);
    if (calls.length === 0) {
      throw GeminiError.invalidArgument('Please ensure that function response turn comes immediately after a function call turn.');
    }
    if (calls.length !== responses.length) {
      throw GeminiError.invalidArgument(
        'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
      );
    }
  });
}

const SIGNATURE_DOCS = 'https://ai.google.dev/gemini-api/docs/thought-signatures';

/**
 * Every signature on a function call must be one the sandbox issued for that very call. With thinking on, the
 * first function call of each model step in the current turn (everything after the last user message that is not
 * only function responses) must carry one, as Gemini 3 requires; earlier turns are not checked, like Gemini's.
 */
function checkThoughtSignatures(request: GenerateContentRequest, model: string): void {
  const { contents } = request;
  contents.forEach((content) => {
    for (const part of functionCalls(content)) {
      const signature = part.thoughtSignature;
      if (signature === undefined || SKIP_SIGNATURE_VALUES.has(signature)) continue;
      const call = part.functionCall as NonNullable<Part['functionCall']>;
      if (!isValidFunctionCallSignature(call.name, call.args, signature)) {
        throw GeminiError.invalidArgument('Corrupted thought signature.');
      }
    }
  });
  if (!thinkingOn(request, model)) return;

  let turnStart = 0;
  contents.forEach((content, i) => {
    const parts = content.parts ?? [];
    if (roleOf(content) === 'user' && parts.some((p) => !p.functionResponse)) turnStart = i + 1;
  });
  for (let i = turnStart; i < contents.length; i++) {
    const first = functionCalls(contents[i])[0];
    if (!first || first.thoughtSignature !== undefined) continue;
    throw GeminiError.invalidArgument(
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work ' +
        'correctly, and missing thought_signature may lead to degraded model performance. Additional data, function ' +
        `call \`default_api:${first.functionCall?.name}\` , position ${i + 1}. Please refer to ${SIGNATURE_DOCS} for more details.`,
    );
  }
}
