/**
 * Hand-written OpenAI-compatible stream fixtures, shaped after what the upstreams really send (field order, nulls,
 * `service_tier`, `system_fingerprint`, `obfuscation`, DeepSeek's `reasoning_content` nulls and its usage on the
 * finish chunk). Each is the list of SSE `data` payloads before `[DONE]`. For specs only (not exported).
 */

const openAi = { id: 'chatcmpl-BtXq4d2Jr8oWcG1nQfzP0aLm7sYkE', object: 'chat.completion.chunk', created: 1752000000, model: 'gpt-4.1-2025-04-14' };
const tail = { service_tier: 'default', system_fingerprint: 'fp_b3f1157249' };
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ ...openAi, ...tail, choices, usage: null, ...extra });
const choice = (delta: Record<string, unknown>, finish_reason: string | null = null, index = 0) => ({ index, delta, logprobs: null, finish_reason });
const usageChunk = (usage: Record<string, unknown>) => JSON.stringify({ ...openAi, ...tail, choices: [], usage });

const openAiUsage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

/** gpt-4.1, `stream_options.include_usage`. */
export const textStream = [
  chunk([choice({ role: 'assistant', content: '', refusal: null })], { obfuscation: 'aZ3' }),
  chunk([choice({ content: 'Hello' })], { obfuscation: 'q' }),
  chunk([choice({ content: '!' })]),
  chunk([choice({ content: ' How can I help?' })]),
  chunk([choice({}, 'stop')]),
  usageChunk(openAiUsage(9, 10)),
];

/** gpt-4.1 calling two tools in parallel: OpenAI sends one call after the other, arguments in fragments. */
export const parallelToolStream = [
  chunk([
    choice({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'get_weather', arguments: '' } }],
      refusal: null,
    }),
  ]),
  chunk([choice({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] })]),
  chunk([choice({ tool_calls: [{ index: 0, function: { arguments: 'cation": "P' } }] })]),
  chunk([choice({ tool_calls: [{ index: 0, function: { arguments: 'aris"}' } }] })]),
  chunk([choice({ tool_calls: [{ index: 1, id: 'call_m2PzYv0Y1mC6HzBQxW4tKJ8L', type: 'function', function: { name: 'get_time', arguments: '' } }] })]),
  chunk([choice({ tool_calls: [{ index: 1, function: { arguments: '{"tz"' } }] })]),
  chunk([choice({ tool_calls: [{ index: 1, function: { arguments: ': "CET"}' } }] })]),
  chunk([choice({}, 'tool_calls')]),
  usageChunk(openAiUsage(80, 48)),
];

/** Two tool calls whose fragments interleave (some OpenAI-compatible servers do this), names and ids on the first. */
export const interleavedToolStream = [
  chunk([choice({ role: 'assistant', content: null })]),
  chunk([choice({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] })]),
  chunk([choice({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }] })]),
  chunk([
    choice({
      tool_calls: [
        { index: 0, function: { arguments: '"Paris"}' } },
        { index: 1, function: { arguments: '"CET"}' } },
      ],
    }),
  ]),
  chunk([choice({}, 'tool_calls')]),
];

const deepSeek = {
  id: '5c2f0a4e-7b1d-4f0e-9a43-2d6c1e8b9f70',
  object: 'chat.completion.chunk',
  created: 1752000100,
  model: 'deepseek-reasoner',
  system_fingerprint: 'fp_7e0991cad4_prod0425fp8',
};
const ds = (delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...deepSeek, choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...extra });

/** deepseek-reasoner: reasoning_content deltas, then content, usage on the finish chunk. */
export const deepSeekReasoningStream = [
  ds({ role: 'assistant', content: null, reasoning_content: '' }),
  ds({ content: null, reasoning_content: 'The user' }),
  ds({ content: null, reasoning_content: ' says hi.' }),
  ds({ content: 'Hello', reasoning_content: null }),
  ds({ content: '!', reasoning_content: null }),
  ds({ content: '', reasoning_content: null }, 'stop', {
    usage: {
      prompt_tokens: 5,
      completion_tokens: 12,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 8 },
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 5,
    },
  }),
];

/** gpt-4.1 with n = 2: one choice per chunk, interleaved, each opened by its own role chunk. */
export const twoChoiceStream = [
  chunk([choice({ role: 'assistant', content: '', refusal: null }, null, 0)]),
  chunk([choice({ content: 'Yes' }, null, 0)]),
  chunk([choice({ role: 'assistant', content: '', refusal: null }, null, 1)]),
  chunk([choice({ content: 'No' }, null, 1)]),
  chunk([choice({ content: '.' }, null, 0)]),
  chunk([choice({}, 'stop', 0)]),
  chunk([choice({ content: ' way' }, null, 1)]),
  chunk([choice({}, 'length', 1)]),
  usageChunk(openAiUsage(12, 6)),
];
