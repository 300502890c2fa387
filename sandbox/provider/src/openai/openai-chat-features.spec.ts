// Tool calls, reasoning models and images in the OpenAI format, driven with the official SDK (its stream helper
// must rebuild tool calls from the fragments) and raw fetch where the SDK hides the wire.
import OpenAI from 'openai';
import { splitTokens } from '../shared/deterministic-text';
import { sseJson, startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';
import { REASONING_MODEL_PATTERN } from './openai-chat.plan';

let harness: SandboxHarness;
let client: OpenAI;
beforeAll(async () => {
  harness = await startSandbox();
  client = new OpenAI({ apiKey: TEST_API_KEY, baseURL: `${harness.origin}/v1`, maxRetries: 0 });
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'number' },
        verbose: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['location', 'unit', 'days', 'verbose', 'tags'],
    },
  },
};
const timeTool: OpenAI.ChatCompletionTool = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };
const toolRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
  tools: [weatherTool, timeTool],
};
const TOOL_OUTPUT = '{"temperature":21,"conditions":"sunny with a light breeze from the west, perfect for a walk"}';

function postChat(body: unknown): Promise<Response> {
  return fetch(`${harness.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('OpenAI tools', () => {
  it('calls the first tool with schema-built arguments, then quotes the tool result', async () => {
    const first = await client.chat.completions.create(toolRequest);
    const choice = first.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call).toEqual({
      id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/),
      type: 'function',
      function: { name: 'get_weather', arguments: expect.any(String) },
    });
    const args = JSON.parse(call.function.arguments);
    expect(args).toEqual({ location: expect.stringMatching(/^[a-z]+$/), unit: 'celsius', days: 1, verbose: true, tags: [expect.any(String)] });
    expect(first.usage!.completion_tokens).toBe(splitTokens(call.function.arguments).length);

    const second = await client.chat.completions.create({
      ...toolRequest,
      messages: [...toolRequest.messages, choice.message, { role: 'tool', tool_call_id: call.id, content: TOOL_OUTPUT }],
    });
    expect(second.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: `Tool get_weather returned: ${TOOL_OUTPUT.slice(0, 60)}` },
    });
  });

  it('streams the call as OpenAI does, and the SDK stream helper rebuilds it', async () => {
    const plain = await client.chat.completions.create(toolRequest);
    const final = await client.chat.completions.stream(toolRequest).finalChatCompletion();
    expect(final.choices[0].message.tool_calls).toEqual(plain.choices[0].message.tool_calls);
    expect(final.choices[0].finish_reason).toBe('tool_calls');

    const chunks = sseJson<Json>((await (await postChat({ ...toolRequest, stream: true })).text()).replace(/data: \[DONE\]\n\n$/, ''));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, refusal: null });
    expect(chunks[1].choices[0].delta).toEqual({
      tool_calls: [{ index: 0, id: plain.choices[0].message.tool_calls![0].id, type: 'function', function: { name: 'get_weather', arguments: '' } }],
    });
    expect(chunks[2].choices[0].delta.tool_calls[0]).toEqual({ index: 0, function: { arguments: expect.any(String) } });
    expect(chunks[chunks.length - 1].choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
  });

  it('honours tool_choice none and a named function', async () => {
    const none = await client.chat.completions.create({ ...toolRequest, tool_choice: 'none' });
    expect(none.choices[0].message.content).toMatch(/^Sandbox reply to "Weather in Paris\?"/);
    const named = await client.chat.completions.create({ ...toolRequest, tool_choice: { type: 'function', function: { name: 'get_time' } } });
    expect(named.choices[0].message.tool_calls![0]).toMatchObject({ function: { name: 'get_time', arguments: '{}' } });
  });

  it.each([
    [
      'a tool message with no tool call before it',
      [
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'call_1', content: 'y' },
      ],
      'messages.[1].role',
      /must be a response to a preceeding message with 'tool_calls'/,
    ],
    [
      'a tool call left unanswered',
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'user', content: 'z' },
      ],
      'messages.[2].role',
      /did not have response messages: call_1$/,
    ],
    [
      'an answer to an unknown call id',
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_2', content: 'y' },
      ],
      'messages.[2].tool_call_id',
      /'call_2' not found/,
    ],
  ])('400s %s', async (_case, messages, param, message) => {
    const res = await postChat({ model: 'gpt-4o', messages });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as Json;
    expect(error).toMatchObject({ type: 'invalid_request_error', param });
    expect(error.message).toMatch(message);
  });
});

describe('OpenAI-compatible reasoning models', () => {
  it.each([
    ['deepseek-r1', true],
    ['deepseek-ai/deepseek-r1-distill-llama-70b', true],
    ['deepseek-reasoner', true],
    ['qwen3-235b-thinking', true],
    ['gpt-4.1', false],
    ['gpt-4o', false],
    ['r10-model', false],
  ])('%s reasons: %s', (model, reasons) => {
    expect(REASONING_MODEL_PATTERN.test(model)).toBe(reasons);
  });

  it('returns reasoning_content before the answer, billed as reasoning tokens, and streams it first', async () => {
    const request = { model: 'deepseek-r1', messages: [{ role: 'user' as const, content: 'Why is the sky blue?' }] };
    const plain = (await client.chat.completions.create(request)) as Json;
    const message = plain.choices[0].message;
    expect(message.reasoning_content).toMatch(/^Sandbox thinking about "Why is the sky blue\?": /);
    const reasoning = splitTokens(message.reasoning_content).length;
    expect(plain.usage.completion_tokens_details.reasoning_tokens).toBe(reasoning);
    expect(plain.usage.completion_tokens).toBe(reasoning + splitTokens(message.content).length);

    const chunks = sseJson<Json>((await (await postChat({ ...request, stream: true })).text()).replace(/data: \[DONE\]\n\n$/, ''));
    const kinds = chunks.slice(1, -1).map((c) => Object.keys(c.choices[0].delta)[0]);
    expect(kinds).toEqual([...Array(reasoning).fill('reasoning_content'), ...Array(kinds.length - reasoning).fill('content')]);
    expect(
      chunks
        .slice(1, 1 + reasoning)
        .map((c) => c.choices[0].delta.reasoning_content)
        .join(''),
    ).toBe(message.reasoning_content);

    const ordinary = (await client.chat.completions.create({ ...request, model: 'gpt-4o' })) as Json;
    expect(ordinary.choices[0].message).not.toHaveProperty('reasoning_content');
  });
});

describe('OpenAI images', () => {
  const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

  it('names the images it received and bills 85 prompt tokens each', async () => {
    const content: OpenAI.ChatCompletionContentPart[] = [
      { type: 'text', text: 'Describe these' },
      { type: 'image_url', image_url: { url: PNG } },
      { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.jpeg?size=large', detail: 'low' } },
    ];
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content }] });
    expect(completion.choices[0].message.content).toMatch(/^Sandbox reply to "Describe these": I see 2 images \(image\/png, image\/jpeg\)\. \w+/);
    // 3 priming + 3 framing + "Describe", " these" + 2 × 85.
    expect(completion.usage!.prompt_tokens).toBe(3 + 3 + 2 + 170);
  });

  it('400s a data URL that is not an image', async () => {
    const res = await postChat({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:text/plain;base64,aGk=' } }] }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error).toMatchObject({ param: 'messages[0].content[0].image_url.url', code: 'invalid_image_format' });
  });
});
