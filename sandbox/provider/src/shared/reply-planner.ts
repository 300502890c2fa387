// The canonical decision every wire format shares: given what the conversation says (normalised by each format's
// request reader), is the reply a tool call, a quote of a tool result, or ordinary text, and what does the model
// "think" first? Formats only translate their request into ConversationFacts and the ReplyPlan into their shape,
// so the three behave alike (N formats on one hub, not N copies of the rules).
import { composeReply, composeThinking, seedFrom, subjectOf } from './deterministic-text';
import { describeImages } from './image-inputs';
import { argumentsFromSchema } from './schema-values';

export const TOOL_RESULT_QUOTE_CHARS = 60;

export interface ToolOffer {
  name: string;
  /** The parameter schema (JSON Schema, or Gemini's Schema); anything else yields `{}` arguments. */
  schema: unknown;
}

export interface ToolResultFact {
  /** The tool's name (Gemini names it; OpenAI and Anthropic name it through the call id). */
  name: string;
  /** The result as text (JSON for structured results). */
  content: string;
}

export type ToolChoice =
  | { mode: 'auto' }
  | { mode: 'none' }
  /** The model must call a tool; `name` pins which one. */
  | { mode: 'required'; name?: string };

export interface ConversationFacts {
  /** Text of the message being answered (the last user message). */
  subject: string;
  /** MIME types of the images in that message, in order. */
  imageMimeTypes: string[];
  /** True when the conversation ends with a user turn (one that may carry tool results). */
  endsWithUser: boolean;
  /** Tool results carried by the last message; empty when it carries none. */
  toolResults: ToolResultFact[];
  tools: ToolOffer[];
  toolChoice: ToolChoice;
  thinking: boolean;
  /** Hash of the conversation: the same request gives the same reply. */
  seed: number;
}

export type PlannedReply = { kind: 'text'; text: string } | { kind: 'tool_call'; name: string; arguments: Record<string, unknown> };

export interface ReplyPlan {
  /** Reasoning shown before the reply, when thinking is on. */
  thinking: string | null;
  reply: PlannedReply;
}

/**
 * `variant` distinguishes alternatives of one request (OpenAI `n`, Gemini `candidateCount`): variant 0 is what a
 * single-choice request gets.
 */
export function planReply(facts: ConversationFacts, variant = 0): ReplyPlan {
  const reply = chooseReply(facts, variant);
  const thinkingSubject = facts.toolResults.length > 0 ? quoteToolResults(facts.toolResults) : facts.subject;
  return { thinking: facts.thinking ? composeThinking(thinkingSubject, facts.seed) : null, reply };
}

function chooseReply(facts: ConversationFacts, variant: number): PlannedReply {
  if (facts.toolResults.length > 0) return { kind: 'text', text: quoteToolResults(facts.toolResults) };
  const tool = facts.endsWithUser ? chooseTool(facts.tools, facts.toolChoice) : undefined;
  if (tool) return { kind: 'tool_call', name: tool.name, arguments: argumentsFromSchema(tool.schema, tool.name) };
  return { kind: 'text', text: composeReply(facts.subject, seedFrom(facts.seed, variant), describeImages(facts.imageMimeTypes)) };
}

function chooseTool(tools: readonly ToolOffer[], choice: ToolChoice): ToolOffer | undefined {
  if (choice.mode === 'none' || tools.length === 0) return undefined;
  if (choice.mode === 'required' && choice.name !== undefined) {
    return tools.find((tool) => tool.name === choice.name) ?? tools[0];
  }
  return tools[0];
}

/** `Tool get_weather returned: {"temp":21}`; several results are quoted one after the other. */
export function quoteToolResults(results: readonly ToolResultFact[]): string {
  return results.map((r) => `Tool ${r.name} returned: ${subjectOf(r.content, TOOL_RESULT_QUOTE_CHARS)}`).join(' ');
}
