/**
 * The rendered embeddings answer, checked by shape and served over HTTP to the official `openai` SDK, which asks for
 * base64 by default and decodes it itself.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { float32ToBase64 } from '@apitopmix/contracts';
import { renderOpenAiEmbeddingResponse } from './openai-embeddings.response';

const fromJson = [
  [0.1, -0.2, 0.30000001],
  [0.5, 0.5, -0.7071067811865476],
];

describe('renderOpenAiEmbeddingResponse', () => {
  it("renders floats in OpenAI's shape, in input order, with usage", () => {
    const body = renderOpenAiEmbeddingResponse({ vectors: fromJson }, { model: 'text-embedding-3-small', encodingFormat: 'float', inputTokens: 9 });
    expect(body).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: fromJson[0] },
        { object: 'embedding', index: 1, embedding: fromJson[1] },
      ],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 9, total_tokens: 9 },
    });
  });

  it('writes a Float32Array as JSON numbers', () => {
    const body = renderOpenAiEmbeddingResponse({ vectors: [new Float32Array([0.5, -0.25])] }, { model: 'm', encodingFormat: 'float', inputTokens: 1 });
    expect(JSON.parse(JSON.stringify(body)).data[0].embedding).toEqual([0.5, -0.25]);
  });

  it('encodes base64 as little-endian float32: from JSON numbers rounded to float32, from float32 bytes bit for bit', () => {
    const fromBytes = new Float32Array([0.123456789, -1e-30, 3]);
    const body = renderOpenAiEmbeddingResponse({ vectors: [fromJson[0], fromBytes] }, { model: 'm', encodingFormat: 'base64', inputTokens: 2 });
    const decode = (text: string) => Array.from(new Float32Array(new Uint8Array(Buffer.from(text, 'base64')).buffer));
    expect(decode(body.data[0].embedding as string)).toEqual(fromJson[0].map(Math.fround));
    expect(body.data[1].embedding).toBe(float32ToBase64(fromBytes));
    expect(decode(body.data[1].embedding as string)).toEqual(Array.from(fromBytes));
  });
});

describe('the openai SDK reading what is rendered', () => {
  let server: Server;
  let client: OpenAI;
  let seen: Record<string, unknown> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (text += part));
      req.on('end', () => {
        seen = JSON.parse(text) as Record<string, unknown>;
        const encodingFormat = seen.encoding_format === 'base64' ? 'base64' : 'float';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(renderOpenAiEmbeddingResponse({ vectors: fromJson }, { model: String(seen.model), encodingFormat, inputTokens: 7 })));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('asks for base64 by default and decodes our encoding to the float32 values', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(seen.encoding_format).toBe('base64');
    expect(response.data.map((d) => d.embedding)).toEqual(fromJson.map((v) => v.map(Math.fround)));
    expect(response.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
  });

  it('takes floats as they are when asked for them', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(response.data.map((d) => d.embedding)).toEqual(fromJson);
  });
});
