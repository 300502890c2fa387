// The spec's "JavaScript (Node.js)" chat example, as written except for where the base URL and key come from.
import OpenAI from 'openai';

const client = new OpenAI({
  apiKey: process.env.APITOPMIX_API_KEY,
  baseURL: `${process.env.APITOPMIX_BASE_URL}/v1`
});

const response = await client.chat.completions.create({
  model: 'gemini-3.1-pro-preview',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Explain quantum computing.' }
  ],
  max_tokens: 500,
  temperature: 0.7
});

console.log(response.choices[0].message.content);
