// Gemini image generation over real HTTP: a real PNG of the size Google's table gives, deterministic per prompt,
// input images accepted, imageConfig checked as Google checks it.
import { PNG } from 'pngjs';
import { startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';
import { imageDimensions, renderPng } from './gemini-image';

// Megapixel images: generous under a loaded machine.
jest.setTimeout(30_000);

let harness: SandboxHarness;
beforeAll(async () => (harness = await startSandbox()));
afterAll(() => harness.close());
beforeEach(() => harness.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MODEL = 'gemini-3.1-flash-image';

async function generate(body: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${harness.origin}/v1beta/models/${MODEL}:generateContent`, {
    method: 'POST',
    headers: { 'x-goog-api-key': TEST_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const imageRequest = (prompt: string, imageConfig?: object, images: Buffer[] = []) => ({
  contents: [{ role: 'user', parts: [{ text: prompt }, ...images.map((data) => ({ inlineData: { mimeType: 'image/png', data: data.toString('base64') } }))] }],
  generationConfig: { responseModalities: ['IMAGE'], ...(imageConfig ? { imageConfig } : {}) },
});

function decode(json: Json): PNG {
  const part = json.candidates[0].content.parts[0];
  expect(part.inlineData.mimeType).toBe('image/png');
  return PNG.sync.read(Buffer.from(part.inlineData.data, 'base64'));
}

describe('Gemini image generation', () => {
  it('answers one PNG part at 1K 1:1 by default, with image output tokens', async () => {
    const { status, json } = await generate(imageRequest('a lighthouse'));
    expect(status).toBe(200);
    expect(json.candidates[0]).toMatchObject({ finishReason: 'STOP', index: 0, content: { role: 'model' } });
    expect(json.candidates[0].content.parts).toHaveLength(1);
    const png = decode(json);
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(json.usageMetadata).toMatchObject({ candidatesTokenCount: 1120, candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }] });
  });

  it.each([
    ['16:9', '1K', 1376, 768],
    ['3:2', '2K', 2528, 1696],
    ['9:16', '1K', 768, 1376],
    ['21:9', '2K', 3168, 1344],
  ])('draws %s at %s as %ix%i', async (aspectRatio, imageSize, width, height) => {
    const png = decode((await generate(imageRequest('a lighthouse', { aspectRatio, imageSize }))).json);
    expect([png.width, png.height]).toEqual([width, height]);
  });

  it('accepts snake_case image_config keys', async () => {
    const png = decode((await generate(imageRequest('x', { aspect_ratio: '4:3', image_size: '1K' }))).json);
    expect([png.width, png.height]).toEqual([1200, 896]);
  });

  it('is deterministic per prompt, and differs between prompts', async () => {
    const a1 = (await generate(imageRequest('a red fox'))).json.candidates[0].content.parts[0].inlineData.data;
    const a2 = (await generate(imageRequest('a red fox'))).json.candidates[0].content.parts[0].inlineData.data;
    const b = (await generate(imageRequest('a blue whale'))).json.candidates[0].content.parts[0].inlineData.data;
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
  });

  it("takes input images: the result depends on them, and keeps the first one's shape without an aspect ratio", async () => {
    const wide = renderPng(64, 36, 'input');
    const plain = (await generate(imageRequest('make it night'))).json;
    const edited = (await generate(imageRequest('make it night', undefined, [wide]))).json;
    const png = decode(edited);
    expect([png.width, png.height]).toEqual([1376, 768]);
    expect(edited.candidates[0].content.parts[0].inlineData.data).not.toBe(plain.candidates[0].content.parts[0].inlineData.data);
    expect(edited.usageMetadata.promptTokensDetails).toContainEqual({ modality: 'IMAGE', tokenCount: 85 });
  });

  it.each([
    [{ aspectRatio: '5:3' }, 'Unsupported aspect ratio'],
    [{ imageSize: '1k' }, 'Unsupported image size'],
    [{ imageSize: '8K' }, 'Unsupported image size'],
    [{ quality: 'high' }, 'Unknown name "quality"'],
  ])('refuses imageConfig %j as Google does (400 INVALID_ARGUMENT)', async (imageConfig, message) => {
    const { status, json } = await generate(imageRequest('x', imageConfig));
    expect(status).toBe(400);
    expect(json.error.status).toBe('INVALID_ARGUMENT');
    expect(json.error.message).toContain(message);
  });

  it('applies fault rules to image generation like any generateContent', async () => {
    expect((await harness.putSettings({ faults: [{ match: { model: MODEL }, kind: 'status', status: 503, times: 1 }] })).status).toBe(200);
    expect((await generate(imageRequest('x'))).status).toBe(503);
    expect((await generate(imageRequest('x'))).status).toBe(200);
  });

  it('knows the 2K and 4K sizes', () => {
    expect(imageDimensions('1:1', '4K')).toEqual({ width: 4096, height: 4096 });
    expect(imageDimensions('16:9', '2K')).toEqual({ width: 2752, height: 1536 });
  });
});
