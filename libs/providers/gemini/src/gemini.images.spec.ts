import type { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { FakeUpstream, rejection } from '@apitopmix/providers/testing';
import { fromGeminiImageResponse, GeminiImages, geminiImageConfig, nearestAspectRatio, tierForPixels, toGeminiImageRequest } from './gemini.images';

const pngBytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const imageAnswer = (parts: object[], extra: object = {}) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0, ...extra }],
  modelVersion: 'gemini-3.1-flash-image',
});

function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('geminiImageConfig: size and image_size', () => {
  it.each([
    ['1024x1024', '1:1'],
    ['256x256', '1:1'],
    ['1536x1024', '3:2'],
    ['1024x1536', '2:3'],
    ['1792x1024', '16:9'],
    ['1024x1792', '9:16'],
    ['1536x864', '16:9'],
    ['1200x896', '4:3'],
    ['1000x800', '5:4'],
    ['800x1000', '4:5'],
    ['2560x1080', '21:9'],
    ['512x2048', '1:4'],
    ['4096x512', '8:1'],
  ])('%s has the aspect ratio %s', (size, ratio) => {
    const [width, height] = size.split('x').map(Number);
    expect(nearestAspectRatio({ width, height })).toBe(ratio);
  });

  it.each(['3000x1000', '1000x3000', '1000x1600', '1600x1000', '10000x1000'])('refuses %s: no ratio within 5%', (size) => {
    const [width, height] = size.split('x').map(Number);
    const error = thrown(() => nearestAspectRatio({ width, height }));
    expect(error.param).toBe('size');
    expect(error.status).toBe(400);
    expect(error.message).toContain('Supported ratios: 1:1');
  });

  it('takes the resolution from image_size, whatever the size says', () => {
    expect(geminiImageConfig({ width: 1024, height: 1024 }, '4K')).toEqual({ aspectRatio: '1:1', imageSize: '4K' });
    expect(geminiImageConfig({ width: 4096, height: 4096 }, '1K')).toEqual({ aspectRatio: '1:1', imageSize: '1K' });
    expect(geminiImageConfig({ width: 1536, height: 1024 }, '2K')).toEqual({ aspectRatio: '3:2', imageSize: '2K' });
  });

  it("reads the resolution off size's pixel count when image_size is absent", () => {
    expect(geminiImageConfig({ width: 1024, height: 1024 }, undefined)).toEqual({ aspectRatio: '1:1', imageSize: '1K' });
    expect(geminiImageConfig({ width: 1792, height: 1024 }, undefined).imageSize).toBe('1K');
    expect(geminiImageConfig({ width: 2048, height: 2048 }, undefined).imageSize).toBe('2K');
    expect(geminiImageConfig({ width: 2560, height: 1440 }, undefined).imageSize).toBe('2K');
    // 8.29 MP: a hair nearer 2K's 4.2 MP than 4K's 16.8 MP on a log scale. Ask image_size 4K for 4K.
    expect(geminiImageConfig({ width: 3840, height: 2160 }, undefined).imageSize).toBe('2K');
    expect(geminiImageConfig({ width: 4000, height: 2250 }, undefined).imageSize).toBe('4K');
    expect(geminiImageConfig({ width: 4096, height: 4096 }, undefined).imageSize).toBe('4K');
    expect([1, 2 * 1024 * 1024, 2 * 1024 * 1024 + 1, 8 * 1024 * 1024, 8 * 1024 * 1024 + 1].map(tierForPixels)).toEqual(['1K', '1K', '2K', '2K', '4K']);
  });

  it('sends no aspect ratio without a size, and 1K without either', () => {
    expect(geminiImageConfig(undefined, undefined)).toEqual({ imageSize: '1K' });
    expect(geminiImageConfig(undefined, '2K')).toEqual({ imageSize: '2K' });
  });

  it.each(['1k', '8K', '512', '', '1K '])('refuses image_size %j', (imageSize) => {
    expect(thrown(() => geminiImageConfig(undefined, imageSize)).param).toBe('image_size');
  });
});

describe('toGeminiImageRequest', () => {
  it('asks for an image only, with the image config Google documents', () => {
    expect(toGeminiImageRequest('a red fox', [], { aspectRatio: '16:9', imageSize: '2K' })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a red fox' }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9', imageSize: '2K' } },
    });
  });

  it('sends input images as inlineData after the prompt, in order, and leaves the ratio to the model without a size', () => {
    const body = toGeminiImageRequest(
      'merge them',
      [
        { mimeType: 'image/png', data: pngBytes },
        { mimeType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) },
      ],
      { imageSize: '1K' },
    );
    expect(body).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'merge them' },
            { inlineData: { mimeType: 'image/png', data: pngBytes.toString('base64') } },
            { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
          ],
        },
      ],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '1K' } },
    });
  });

  it('refuses more input images than Gemini takes', () => {
    const images = Array.from({ length: 15 }, () => ({ mimeType: 'image/png', data: pngBytes }));
    expect(thrown(() => toGeminiImageRequest('p', images, { imageSize: '1K' })).param).toBe('image');
  });
});

describe('fromGeminiImageResponse', () => {
  it('returns the first image part that is not a thought, skipping text', () => {
    const json = imageAnswer([
      { text: 'Here is your image', thought: true },
      { inlineData: { mimeType: 'image/png', data: Buffer.from('interim').toString('base64') }, thought: true },
      { text: 'Here it is.' },
      { inlineData: { mimeType: 'image/png', data: pngBytes.toString('base64') }, thoughtSignature: 'sig' },
    ]);
    const image = fromGeminiImageResponse(json, 'google');
    expect(image.mimeType).toBe('image/png');
    expect(image.data.equals(pngBytes)).toBe(true);
  });

  it("is the caller's 400 when Google's filters refused, and keeps no Google wording beyond the reason", () => {
    const blocked = thrown(() => fromGeminiImageResponse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }, 'google'));
    expect(blocked).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400 });
    expect(blocked.message).toContain('PROHIBITED_CONTENT');
    const safety = thrown(() => fromGeminiImageResponse(imageAnswer([{ text: 'I cannot' }], { finishReason: 'IMAGE_SAFETY' }), 'google'));
    expect(safety).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400 });
  });

  it('is a 503 the router may retry when an answer has no image for another reason', () => {
    for (const json of [imageAnswer([{ text: 'only words' }]), imageAnswer([], { finishReason: 'NO_IMAGE' }), {}, null, { candidates: 'x' }]) {
      expect(thrown(() => fromGeminiImageResponse(json, 'google'))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    }
    expect(thrown(() => fromGeminiImageResponse(imageAnswer([{ inlineData: { mimeType: 'image/png', data: '' } }]), 'google')).code).toBe(
      ErrorCode.UpstreamUnavailable,
    );
  });
});

describe('GeminiImages', () => {
  let google: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let images: GeminiImages;

  beforeEach(async () => {
    google = new FakeUpstream();
    endpoint = { provider: 'google', baseUrl: await google.start(), apiKey: 'AIza-upstream-secret' };
    agent = createUpstreamAgent();
    images = new GeminiImages(agent, { firstByteMs: 2_000, idleMs: 2_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    await google.stop();
  });

  it('posts generateContent with the key in x-goog-api-key and returns the image bytes', async () => {
    google.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(imageAnswer([{ inlineData: { mimeType: 'image/png', data: pngBytes.toString('base64') } }])));
    };
    const body = JSON.stringify(toGeminiImageRequest('a fox', [], { imageSize: '1K' }));
    const image = await images.generate(endpoint, 'gemini-3.1-flash-image', body);
    expect(image.data.equals(pngBytes)).toBe(true);
    expect(google.requests[0]).toMatchObject({ method: 'POST', url: '/v1beta/models/gemini-3.1-flash-image:generateContent', body });
    expect(google.requests[0].headers['x-goog-api-key']).toBe('AIza-upstream-secret');
  });

  it("maps Google's errors: 429 and 5xx to 503, a 400 to the caller's 400 with Google's message", async () => {
    google.handler = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
      res.end(JSON.stringify({ error: { code: 429, message: 'quota for project 1234', status: 'RESOURCE_EXHAUSTED' } }));
    };
    const limited = (await rejection(images.generate(endpoint, 'm', '{}'))) as GatewayError;
    expect(limited).toMatchObject({ code: ErrorCode.UpstreamUnavailable, retryAfterSeconds: 3 });
    expect(limited.message).not.toContain('1234');

    google.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 400, message: 'Unsupported aspect ratio', status: 'INVALID_ARGUMENT' } }));
    };
    expect(await rejection(images.generate(endpoint, 'm', '{}'))).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 400,
      message: 'Unsupported aspect ratio',
    });
  });

  it('turns a body that is not JSON into a 503', async () => {
    google.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"candidates": [{"content": {"parts": [{"inlineData": {"data": "iVBOR');
    };
    expect(await rejection(images.generate(endpoint, 'm', '{}'))).toMatchObject({ code: ErrorCode.UpstreamUnavailable });
  });
});
