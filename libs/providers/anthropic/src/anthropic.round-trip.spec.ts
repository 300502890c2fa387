// The one place both halves of an Anthropic-to-Anthropic translation meet; production code never imports a dialect.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the round trip needs the dialect's half too
import { anthropicMessagesDialect, parseAnthropicMessagesRequest } from '@apitopmix/dialects/anthropic-messages';
import { toAnthropicRequest } from './anthropic.chat';

/** Anthropic's shorthand written out: string content and a string system become text blocks. */
function normalised(body: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(body);
  if (typeof out.system === 'string') out.system = [{ type: 'text', text: out.system }];
  out.messages = (out.messages as { role: string; content: unknown }[]).map((m) => ({
    ...m,
    content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content,
  }));
  return out;
}

const roundTrip = (body: Record<string, unknown>) =>
  toAnthropicRequest(anthropicMessagesDialect.toCanonical(parseAnthropicMessagesRequest(body)), {
    upstreamModel: body.model as string,
    maxOutputTokens: 64_000,
  });

const conversation = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this picture, and what is the weather there?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB' } },
      { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/eiffel.jpg' } },
    ],
  },
  {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'The Eiffel Tower: Paris. Check the weather.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
      { type: 'text', text: 'That is the Eiffel Tower. Let me check Paris.' },
      { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: [{ type: 'text', text: '18°C, sunny' }] },
      { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', is_error: true, content: [{ type: 'text', text: 'second call failed' }] },
    ],
  },
];

const tools = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] },
  },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
];

describe('Anthropic request → canonical → Anthropic upstream body', () => {
  it('keeps system, tools, tool_choice, stop_sequences, thinking, images, tool use and results, and metadata', () => {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      system: 'You are a helpful travel assistant.',
      messages: conversation,
      tools,
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['\n\nHuman:', 'END'],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'user-8f14e45f' },
      top_p: 0.97,
      stream: true,
      service_tier: 'auto',
    };
    expect(roundTrip(body)).toEqual(normalised(body));
  });

  it('keeps sampling, a forced tool and string content without thinking', () => {
    const body = {
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 500,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        { role: 'user', content: 'Hello!' },
        { role: 'assistant', content: 'Bonjour !' },
        { role: 'user', content: 'Weather?' },
      ],
      // Claude 4.1 and later take temperature or top_p, not both.
      top_k: 40,
      top_p: 0.8,
      tools: tools.slice(0, 1),
      tool_choice: { type: 'tool', name: 'get_weather' },
    };
    expect(roundTrip(body)).toEqual(normalised(body));
  });
});
