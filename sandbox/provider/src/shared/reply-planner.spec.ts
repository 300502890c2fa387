import { planReply, type ConversationFacts } from './reply-planner';

const base: ConversationFacts = {
  subject: 'Weather in Paris?',
  imageMimeTypes: [],
  endsWithUser: true,
  toolResults: [],
  tools: [],
  toolChoice: { mode: 'auto' },
  thinking: false,
  seed: 7,
};
const tools = [
  { name: 'get_weather', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', schema: { type: 'object' } },
];

describe('planReply', () => {
  it('answers text without tools, with an image sentence when images came', () => {
    expect(planReply(base)).toEqual({ thinking: null, reply: { kind: 'text', text: expect.stringMatching(/^Sandbox reply to "Weather in Paris\?": \w/) } });
    const withImage = planReply({ ...base, imageMimeTypes: ['image/png'] }).reply;
    expect(withImage).toMatchObject({ text: expect.stringMatching(/^Sandbox reply to "Weather in Paris\?": I see 1 image \(image\/png\)\. \w/) });
  });

  it('calls the first tool when the user spoke last, or the named one when required', () => {
    expect(planReply({ ...base, tools }).reply).toEqual({ kind: 'tool_call', name: 'get_weather', arguments: { city: expect.any(String) } });
    expect(planReply({ ...base, tools, toolChoice: { mode: 'required', name: 'get_time' } }).reply).toMatchObject({ name: 'get_time', arguments: {} });
    expect(planReply({ ...base, tools, toolChoice: { mode: 'none' } }).reply.kind).toBe('text');
    expect(planReply({ ...base, tools, endsWithUser: false }).reply.kind).toBe('text');
  });

  it('quotes tool results instead of calling again, 60 characters each', () => {
    const long = 'x'.repeat(100);
    const plan = planReply({
      ...base,
      tools,
      toolResults: [
        { name: 'get_weather', content: long },
        { name: 'get_time', content: '12:00' },
      ],
    });
    expect(plan.reply).toEqual({ kind: 'text', text: `Tool get_weather returned: ${'x'.repeat(60)} Tool get_time returned: 12:00` });
  });

  it('thinks first when thinking is on, about the same subject the reply answers', () => {
    const plan = planReply({ ...base, thinking: true });
    expect(plan.thinking).toMatch(/^Sandbox thinking about "Weather in Paris\?": \w/);
    expect(planReply({ ...base, thinking: true, toolResults: [{ name: 't', content: 'ok' }] }).thinking).toMatch(
      /^Sandbox thinking about "Tool t returned: ok"/,
    );
  });

  it('varies text by variant, and variant 0 is the single-choice reply', () => {
    expect(planReply(base, 0)).toEqual(planReply(base));
    expect(planReply(base, 1).reply).not.toEqual(planReply(base, 0).reply);
  });
});
