import { z } from 'zod';
import { GatewayError } from '@apitopmix/platform/errors';

/**
 * Fields whose values are the caller's own data (function arguments and results, JSON schemas, labels): their keys
 * are never renamed.
 */
const opaqueFields = new Set(['args', 'response', 'parameters', 'parametersJsonSchema', 'responseSchema', 'responseJsonSchema', 'labels']);

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Google's REST API reads every field in camelCase or snake_case (proto JSON). Renames snake_case keys to camelCase,
 * everywhere except inside the caller's own data; a field given in both spellings is an error, as it is at Google.
 */
export function normaliseFieldNames(value: unknown, path = ''): unknown {
  if (Array.isArray(value)) return value.map((item, i) => normaliseFieldNames(item, `${path}[${i}]`));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = camel(key);
    const at = path ? `${path}.${name}` : name;
    if (Object.prototype.hasOwnProperty.call(out, name))
      throw GatewayError.invalid(`Invalid value at '${at}': the field is given twice (camelCase and snake_case).`, at);
    out[name] = opaqueFields.has(name) ? item : normaliseFieldNames(item, at);
  }
  return out;
}

const jsonObject = z.record(z.string(), z.unknown());
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64-encoded');

/** Part fields of Google's `data` oneof: a part sets at most one. A part may also carry only a thoughtSignature. */
const dataFields = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'] as const;

const part = z
  .looseObject({
    text: z.string().optional(),
    inlineData: z.looseObject({ mimeType: z.string().min(1), data: base64 }).optional(),
    fileData: z.looseObject({ mimeType: z.string().min(1).optional(), fileUri: z.string().min(1) }).optional(),
    functionCall: z.looseObject({ name: z.string().min(1), args: jsonObject.optional(), id: z.string().optional() }).optional(),
    functionResponse: z
      .looseObject({ name: z.string().min(1), response: jsonObject, id: z.string().optional(), parts: z.array(z.looseObject({})).optional() })
      .optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().min(1).optional(),
  })
  .superRefine((p, ctx) => {
    const set = dataFields.filter((field) => p[field] !== undefined);
    if (set.length > 1)
      ctx.addIssue({ code: 'custom', path: [set[1]], message: `a part sets only one of ${dataFields.join(', ')} (it already has ${set[0]})` });
  });

const content = z.looseObject({
  role: z.enum(['user', 'model']).optional(),
  parts: z.array(part).min(1),
});

/** Google takes `systemInstruction` as a Content; a bare list of parts is read as one. */
const systemInstruction = z.preprocess(
  (value) => (Array.isArray(value) ? { parts: value } : value),
  z.looseObject({ role: z.string().optional(), parts: z.array(part).min(1) }),
);

const thinkingLevels = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];

const thinkingConfig = z
  .looseObject({
    thinkingBudget: z.number().int().min(-1).optional(),
    includeThoughts: z.boolean().optional(),
    thinkingLevel: z
      .string()
      .refine((level) => thinkingLevels.includes(level.toUpperCase()), { message: "must be one of 'minimal', 'low', 'medium', 'high'" })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.thinkingBudget !== undefined && config.thinkingLevel !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['thinkingLevel'], message: 'thinkingBudget and thinkingLevel cannot both be set' });
    }
  });

const structuredMimeTypes = ['application/json', 'text/x.enum'];

const generationConfig = z
  .looseObject({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().min(1).optional(),
    maxOutputTokens: z.number().int().min(1).optional(),
    stopSequences: z.array(z.string()).max(5).optional(),
    candidateCount: z.number().int().min(1).max(8).optional(),
    seed: z.number().int().optional(),
    presencePenalty: z.number().min(-2).max(2).optional(),
    frequencyPenalty: z.number().min(-2).max(2).optional(),
    responseMimeType: z.string().min(1).optional(),
    responseSchema: jsonObject.optional(),
    responseJsonSchema: z.union([jsonObject, z.boolean()]).optional(),
    thinkingConfig: thinkingConfig.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['responseJsonSchema'], message: 'responseSchema and responseJsonSchema cannot both be set' });
    }
    if ((config.responseSchema !== undefined || config.responseJsonSchema !== undefined) && !structuredMimeTypes.includes(config.responseMimeType ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['responseMimeType'], message: "must be 'application/json' or 'text/x.enum' when a response schema is set" });
    }
  });

const harmBlockThresholds = [
  'HARM_BLOCK_THRESHOLD_UNSPECIFIED',
  'BLOCK_LOW_AND_ABOVE',
  'BLOCK_MEDIUM_AND_ABOVE',
  'BLOCK_ONLY_HIGH',
  'BLOCK_NONE',
  'OFF',
] as const;

const safetySetting = z.looseObject({
  category: z.string().regex(/^HARM_CATEGORY_[A-Z_]+$/, "must be a HarmCategory such as 'HARM_CATEGORY_HARASSMENT'"),
  threshold: z.enum(harmBlockThresholds),
});

const functionDeclaration = z
  .looseObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/, 'must start with a letter or an underscore and use only a-z, A-Z, 0-9, _ . : - (at most 64)'),
    description: z.string().optional(),
    parameters: jsonObject.optional(),
    parametersJsonSchema: z.union([jsonObject, z.boolean()]).optional(),
  })
  .superRefine((declaration, ctx) => {
    if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['parametersJsonSchema'], message: 'parameters and parametersJsonSchema cannot both be set' });
    }
  });

const tool = z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() });

const functionCallingConfig = z
  .looseObject({
    mode: z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']).optional(),
    allowedFunctionNames: z.array(z.string().min(1)).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.allowedFunctionNames?.length && config.mode !== 'ANY' && config.mode !== 'VALIDATED') {
      ctx.addIssue({ code: 'custom', path: ['allowedFunctionNames'], message: 'may be set only when mode is ANY or VALIDATED' });
    }
  });

/**
 * A generateContent / streamGenerateContent body, validated as Google's API does. The model is in the URL, never in
 * the body. Unknown fields are kept, never rejected: pass-through sends them on, and Google adds fields often.
 */
export const geminiRequestSchema = z.looseObject({
  contents: z.array(content).min(1),
  systemInstruction: systemInstruction.optional(),
  generationConfig: generationConfig.optional(),
  safetySettings: z.array(safetySetting).optional(),
  tools: z.array(tool).optional(),
  toolConfig: z.looseObject({ functionCallingConfig: functionCallingConfig.optional() }).optional(),
  cachedContent: z.string().optional(),
});

export type GeminiGenerateContentRequest = z.infer<typeof geminiRequestSchema>;
export type GeminiRequestContent = z.infer<typeof content>;
export type GeminiRequestPart = z.infer<typeof part>;

/** What an inbound Gemini call is made of: the model and the streaming choice come from the URL. */
export interface GeminiInboundRequest {
  model: string;
  stream: boolean;
  body: GeminiGenerateContentRequest;
}

/**
 * Validates a parsed body (snake_case names read as camelCase). The error names the first field at fault by its
 * camelCase path (`generationConfig.temperature`, `contents[0].parts[1].inlineData.data`) in its message and `param`.
 */
export function parseGeminiRequest(body: unknown): GeminiGenerateContentRequest {
  if (!isPlainObject(body)) throw GatewayError.invalid('The request body must be a JSON object.');
  const normalised = normaliseFieldNames(body);
  const result = geminiRequestSchema.safeParse(normalised);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = toPath(issue.path);
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], normalised);
  const message =
    value === undefined && issue.code === 'invalid_type' ? `Missing required field: '${param}'.` : `Invalid value at '${param}': ${describe(issue)}`;
  throw GatewayError.invalid(message, param);
}

function toPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : ''}.`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'array' ? ' item(s)' : ''}.`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_type':
      return `expected ${issue.expected === 'record' ? 'object' : issue.expected}.`;
    case 'invalid_format':
      return `${issue.message}.`;
    default:
      return `${issue.message}.`;
  }
}
