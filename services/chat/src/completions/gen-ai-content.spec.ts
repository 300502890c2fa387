import { chat } from '@apitopmix/contracts';
import { inputMessages, outputMessages, StreamedText } from './gen-ai-content';

const {
  WIRE_FORMAT_OPENAI_CHAT: openai,
  WIRE_FORMAT_ANTHROPIC_MESSAGES: anthropic,
  WIRE_FORMAT_GEMINI: gemini,
  WIRE_FORMAT_CANONICAL: canonical,
} = chat.WireFormat;

describe('GenAI content capture', () => {
  it('reads the prompt of each format as role + text parts', () => {
    expect(
      inputMessages(
        openai,
        JSON.stringify({
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          ],
        }),
      ),
    ).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
    ]);
    expect(inputMessages(anthropic, JSON.stringify({ system: 'be brief', messages: [{ role: 'user', content: 'hi' }] }))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
    ]);
    expect(
      inputMessages(
        gemini,
        JSON.stringify({
          systemInstruction: { parts: [{ text: 'be brief' }] },
          contents: [
            { role: 'user', parts: [{ text: 'hi' }] },
            { role: 'model', parts: [{ text: 'yo' }] },
          ],
        }),
      ),
    ).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
      { role: 'assistant', parts: [{ type: 'text', content: 'yo' }] },
    ]);
    expect(inputMessages(canonical, { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } as never)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
    ]);
  });

  it('reads whole answers and streamed text', () => {
    expect(outputMessages(openai, Buffer.from(JSON.stringify({ choices: [{ message: { content: 'hello' }, finish_reason: 'stop' }] })))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' },
    ]);
    expect(outputMessages(anthropic, Buffer.from(JSON.stringify({ content: [{ type: 'text', text: 'hello' }], stop_reason: 'end_turn' })))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'end_turn' },
    ]);
    const openAiStream = new StreamedText(openai);
    for (const data of [
      '{"choices":[{"delta":{"role":"assistant","content":""}}]}',
      '{"choices":[{"delta":{"content":"hel"}}]}',
      '{"choices":[{"delta":{"content":"lo"}}]}',
      '[DONE]',
    ])
      openAiStream.add(data);
    expect(openAiStream.messages()).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }] }]);
    const anthropicStream = new StreamedText(anthropic);
    anthropicStream.add('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}');
    anthropicStream.add('{"type":"message_delta","delta":{"stop_reason":"end_turn"}}');
    expect(anthropicStream.messages()[0].parts).toEqual([{ type: 'text', content: 'hi' }]);
    const canonicalStream = new StreamedText(canonical);
    canonicalStream.add({ type: 'text_delta', choice: 0, index: 0, text: 'ok' });
    expect(canonicalStream.messages()[0].parts).toEqual([{ type: 'text', content: 'ok' }]);
  });
});
