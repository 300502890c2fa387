// The spec's "JavaScript (Anthropic SDK)" example, as written except for where the base URL and key come from.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({
  apiKey: process.env.APITOPMIX_API_KEY,
  baseURL: process.env.APITOPMIX_BASE_URL
});

const message = await client.messages.create({
  model: 'claude-sonnet-4-6',
  max_tokens: 500,
  system: 'You are a helpful assistant.',
  messages: [
    { role: 'user', content: 'Explain quantum computing.' }
  ]
});

console.log(message.content[0].text);
