import { z } from 'zod';
import type { TokenEstimate } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import type {
  AnthropicContentBlockParam,
  AnthropicMessageParam,
  AnthropicTextBlock,
  AnthropicToolParam,
  AnthropicToolResultBlock,
} from './anthropic-messages.types';

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1_024;

/**
 * An object tagged by `type`, checked by the schema its tag names. `open` keeps tags it does not know, unchecked
 * (Anthropic block types the gateway does not translate still reach an Anthropic upstream); closed rejects them.
 * Issues of the tag's schema are reported at their own path, not as a union failure.
 */
function tagged<T>(known: Record<string, z.ZodType>, open: boolean): z.ZodType<T> {
  const tags = Object.keys(known) as [string, ...string[]];
  const base = z.looseObject({ type: open ? z.string() : z.enum(tags) });
  return base.superRefine((value, ctx) => {
    const schema = known[value.type];
    if (!schema) return;
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0] & object);
  }) as unknown as z.ZodType<T>;
}

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), signature: z.string().optional() });

const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: tagged(
    {
      base64: z.looseObject({ media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string() }),
      url: z.looseObject({ url: z.string() }),
    },
    false,
  ),
});

const toolResultContent = tagged<AnthropicContentBlockParam>({ text: textBlock, image: imageBlock }, true);

const contentBlock = tagged<AnthropicContentBlockParam>(
  {
    text: textBlock,
    image: imageBlock,
    tool_use: z.looseObject({ id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()), signature: z.string().optional() }),
    tool_result: z.looseObject({
      tool_use_id: z.string(),
      content: z.union([z.string(), z.array(toolResultContent)]).optional(),
      is_error: z.boolean().optional(),
    }),
    thinking: z.looseObject({ thinking: z.string(), signature: z.string() }),
    redacted_thinking: z.looseObject({ data: z.string() }),
  },
  true,
);

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

/** Client tools (`type` absent or `custom`) need a name and an input schema; server tools are kept as sent. */
const tool = z.looseObject({ type: z.string().optional(), name: z.string() }).superRefine((value, ctx) => {
  if (value.type !== undefined && value.type !== 'custom') return;
  const client = z.looseObject({ name: z.string().min(1), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()) });
  const result = client.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0] & object);
});

const toolChoice = z
  .looseObject({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() })
  .superRefine((value, ctx) => {
    if (value.type === 'tool' && value.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Field required', input: undefined });
  });

const thinking = tagged<AnthropicMessagesRequest['thinking']>(
  {
    enabled: z.looseObject({ budget_tokens: z.number().int().min(MIN_THINKING_BUDGET) }),
    disabled: z.looseObject({}),
    adaptive: z.looseObject({}),
  },
  false,
);

/**
 * Anthropic Messages request, validated as Anthropic's API does. Unknown top-level fields are kept, never rejected:
 * pass-through sends them on to an Anthropic upstream, and Anthropic adds fields faster than any gateway.
 */
export const anthropicMessagesRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    max_tokens: z.number().int().min(1),
    messages: z.array(message).min(1),
    system: z.union([z.string(), z.array(textBlock)]).nullish(),
    temperature: z.number().min(0).max(1).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    top_k: z.number().int().min(0).nullish(),
    stop_sequences: z.array(z.string()).nullish(),
    stream: z.boolean().nullish(),
    tools: z.array(tool).nullish(),
    tool_choice: toolChoice.nullish(),
    thinking: thinking.nullish(),
    metadata: z.strictObject({ user_id: z.string().max(256).nullish() }).nullish(),
  })
  .superRefine((value, ctx) => {
    const budget = (value.thinking as { budget_tokens?: number } | null | undefined)?.budget_tokens;
    if (typeof budget === 'number' && budget >= value.max_tokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['thinking', 'budget_tokens'],
        message: `Input should be less than max_tokens (${value.max_tokens})`,
        input: budget,
      });
    }
  });

export interface AnthropicToolChoice {
  type: 'auto' | 'any' | 'tool' | 'none';
  name?: string;
  disable_parallel_tool_use?: boolean;
}

export type AnthropicThinkingConfig = { type: 'enabled'; budget_tokens: number } | { type: 'disabled' } | { type: 'adaptive' };

/** A validated request. Optional fields may be null (treated as absent); unknown fields are kept. */
export interface AnthropicMessagesRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[] | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  stop_sequences?: string[] | null;
  stream?: boolean | null;
  tools?: AnthropicToolParam[] | null;
  tool_choice?: AnthropicToolChoice | null;
  thinking?: AnthropicThinkingConfig | null;
  metadata?: { user_id?: string | null } | null;
  [field: string]: unknown;
}

/**
 * Validates a parsed body. The error names the first field at fault in Anthropic's notation (`messages.0.content`),
 * both as the error's `param` and at the start of its message, as Anthropic's own errors do.
 */
export function parseAnthropicMessagesRequest(body: unknown): AnthropicMessagesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw GatewayError.invalid('The request body must be a JSON object.');
  const result = anthropicMessagesRequestSchema.safeParse(body);
  if (result.success) return result.data as AnthropicMessagesRequest;
  const { path, text } = explain(result.error.issues[0], body, []);
  const param = path.map(String).join('.');
  throw GatewayError.invalid(param ? `${param}: ${text}` : text, param || undefined);
}

/** The field and wording of an issue; for a union, those of the alternative that got furthest. */
function explain(issue: z.core.$ZodIssue, body: unknown, prefix: PropertyKey[]): { path: PropertyKey[]; text: string } {
  const path = [...prefix, ...issue.path];
  const value = path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], body);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return { path, text: 'Field required' };
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((branch) => branch.length > 0);
    const deepest = Math.max(...branches.map((branch) => branch[0].path.length));
    if (deepest > 0) return explain(branches.find((branch) => branch[0].path.length === deepest)![0], body, path);
    const expected = branches.map((branch) => (branch[0].code === 'invalid_type' ? typeName(branch[0].expected) : undefined));
    if (expected.every((name) => name !== undefined)) return { path, text: `Input should be a valid ${expected.join(' or a valid ')}` };
    return explain(branches[0][0], body, path);
  }
  if (issue.code === 'unrecognized_keys') return { path: [...path, issue.keys[0]], text: 'Extra inputs are not permitted' };
  return { path, text: describe(issue) };
}

function typeName(expected: string): string {
  return ({ int: 'integer', array: 'list', object: 'dictionary', record: 'dictionary' } as Record<string, string>)[expected] ?? expected;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small': {
      if (issue.origin === 'array') return `List should have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `String should have at least ${String(issue.minimum)} character${issue.minimum === 1 ? '' : 's'}`;
      return `Input should be greater than${issue.inclusive === false ? '' : ' or equal to'} ${String(issue.minimum)}`;
    }
    case 'too_big': {
      if (issue.origin === 'array') return `List should have at most ${String(issue.maximum)} items`;
      if (issue.origin === 'string') return `String should have at most ${String(issue.maximum)} characters`;
      return `Input should be less than${issue.inclusive === false ? '' : ' or equal to'} ${String(issue.maximum)}`;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => `'${String(v)}'`);
      return `Input should be ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0]}`;
    }
    case 'invalid_type':
      return `Input should be a valid ${typeName(issue.expected)}`;
    default:
      return issue.message;
  }
}

/** About what an image costs Anthropic (a 1,092×1,092 picture), in characters of the four-per-token estimate. */
const IMAGE_CHARS = 1_600 * 4;

/**
 * Tokens a request may use at most, for rate-limit admission: the prompt's estimate (about four characters per
 * token; an image as 1,600 tokens whatever its bytes; other blocks and tool schemas by their JSON size) plus
 * max_tokens, which Anthropic requires.
 */
export function estimateAnthropicRequestTokens(request: AnthropicMessagesRequest): TokenEstimate {
  let chars = typeof request.system === 'string' ? request.system.length : (request.system ?? []).reduce((sum, block) => sum + block.text.length, 0);
  for (const m of request.messages) chars += contentChars(m.content);
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return { inputTokens: Math.ceil(chars / 4), outputTokens: request.max_tokens };
}

function contentChars(content: string | AnthropicContentBlockParam[] | undefined): number {
  if (content === undefined) return 0;
  if (typeof content === 'string') return content.length;
  let chars = 0;
  for (const block of content) {
    if (block.type === 'text') chars += (block as AnthropicTextBlock).text.length;
    else if (block.type === 'image') chars += IMAGE_CHARS;
    else if (block.type === 'tool_result') chars += contentChars((block as AnthropicToolResultBlock).content);
    else chars += JSON.stringify(block).length;
  }
  return chars;
}
