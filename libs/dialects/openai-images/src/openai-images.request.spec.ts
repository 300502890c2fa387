import { GatewayError } from '@apitopmix/platform/errors';
import { pngDimensions, sniffImageType } from './image-bytes';
import { parseImageEditForm, parseImageEditJson, parseImageGenerationRequest, parseImageSize, toImagesRequestJson } from './openai-images.request';
import { renderImagesResponse } from './openai-images.response';

// A 1x1 PNG and the first bytes of the other formats.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const gif = Buffer.from('GIF89a\x01\x00\x01\x00');
const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4)]);

function rejection(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('parseImageGenerationRequest', () => {
  const base = { model: 'nano-banana-2', prompt: 'A snow leopard' };

  it('applies the defaults: n 1, url, size auto, no image_size', () => {
    expect(parseImageGenerationRequest(base)).toEqual({ model: 'nano-banana-2', prompt: 'A snow leopard', n: 1, responseFormat: 'url' });
  });

  it('reads n, size, image_size and response_format', () => {
    expect(parseImageGenerationRequest({ ...base, n: 3, size: '1536x1024', image_size: '2K', response_format: 'b64_json' })).toEqual({
      ...base,
      n: 3,
      size: { width: 1536, height: 1024 },
      imageSize: '2K',
      responseFormat: 'b64_json',
    });
  });

  it('treats null like absent, as OpenAI does for its nullable fields', () => {
    expect(parseImageGenerationRequest({ ...base, n: null, size: null, image_size: null, response_format: null })).toMatchObject({
      n: 1,
      responseFormat: 'url',
    });
    expect(parseImageGenerationRequest({ ...base, size: 'auto' }).size).toBeUndefined();
  });

  it('ignores fields no upstream acts on', () => {
    expect(parseImageGenerationRequest({ ...base, quality: 'high', style: 'vivid', user: 'u-1', moderation: 'low', whatever: 1 })).toMatchObject(base);
  });

  it.each([
    [{ prompt: 'x' }, 'model', "Missing required parameter: 'model'."],
    [{ model: 'm' }, 'prompt', "Missing required parameter: 'prompt'."],
    [{ ...base, prompt: '' }, 'prompt', 'at least 1 character'],
    [{ ...base, prompt: 'x'.repeat(32_001) }, 'prompt', 'at most 32000 character'],
    [{ ...base, n: 0 }, 'n', 'at least 1'],
    [{ ...base, n: 11 }, 'n', 'at most 10'],
    [{ ...base, n: 1.5 }, 'n', 'expected int'],
    [{ ...base, response_format: 'jpg' }, 'response_format', "'url', 'b64_json'"],
    [{ ...base, size: '1024' }, 'size', 'WIDTHxHEIGHT'],
    [{ ...base, size: '0x1024' }, 'size', 'WIDTHxHEIGHT'],
    [{ ...base, size: '20000x1024' }, 'size', 'WIDTHxHEIGHT'],
    [{ ...base, size: 1024 }, 'size', 'expected string'],
    [{ ...base, image_size: 2 }, 'image_size', 'expected string'],
    [{ ...base, stream: true }, 'stream', 'not supported'],
    [{ ...base, output_format: 'jpeg' }, 'output_format', 'PNG only'],
    [{ ...base, background: 'transparent' }, 'background', 'not supported'],
  ])('refuses %j naming %s', (body, param, message) => {
    const error = rejection(() => parseImageGenerationRequest(body));
    expect(error.param).toBe(param);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });

  it('refuses a body that is not an object', () => {
    expect(rejection(() => parseImageGenerationRequest([base])).message).toContain('JSON object');
    expect(rejection(() => parseImageGenerationRequest(undefined)).status).toBe(400);
  });
});

describe('parseImageSize', () => {
  it('parses WIDTHxHEIGHT, and auto as no size', () => {
    expect(parseImageSize('1024x1792')).toEqual({ width: 1024, height: 1792 });
    expect(parseImageSize('auto')).toBeUndefined();
    expect(parseImageSize(undefined)).toBeUndefined();
  });

  it.each(['1024X1024', ' 1024x1024', '1024x', 'x1024', '-1x5', '1e3x1e3', '1024*1024'])('refuses %j', (size) => {
    expect(rejection(() => parseImageSize(size)).param).toBe('size');
  });
});

describe('parseImageEditJson', () => {
  const base = { model: 'nano-banana-2', prompt: 'Add a hat' };
  const dataUrl = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;

  it('decodes data URLs and takes each image type from its bytes, not its label', () => {
    const request = parseImageEditJson({ ...base, images: [{ image_url: dataUrl(png) }, { image_url: dataUrl(jpeg, 'image/png') }] });
    expect(request.images.map((i) => i.contentType)).toEqual(['image/png', 'image/jpeg']);
    expect(request.images[0].data.equals(png)).toBe(true);
    expect(request).toMatchObject({ ...base, n: 1, responseFormat: 'url' });
  });

  it.each([
    [{ ...base }, 'images', 'Missing required parameter'],
    [{ ...base, images: [] }, 'images', 'at least 1'],
    [{ ...base, images: Array.from({ length: 17 }, () => ({ image_url: 'data:image/png;base64,AA==' })) }, 'images', 'at most 16'],
    [{ ...base, images: [{ image_url: 'https://example.com/cat.png' }] }, 'images[0].image_url', 'does not fetch'],
    [{ ...base, images: [{ image_url: 'data:image/png,rawtext' }] }, 'images[0].image_url', 'base64'],
    [{ ...base, images: [{ file_id: 'file-abc' }] }, 'images[0]', 'file ids'],
    [{ ...base, images: [{}] }, 'images[0].image_url', 'Missing'],
    [{ ...base, images: [{ image_url: `data:image/gif;base64,${gif.toString('base64')}` }] }, 'images[0].image_url', 'PNG, JPEG'],
    [
      { ...base, images: [{ image_url: `data:image/png;base64,${png.toString('base64')}` }], mask: { image_url: 'data:image/png;base64,AA==' } },
      'mask',
      'masks',
    ],
  ])('refuses %#: %s', (body, param, message) => {
    const error = rejection(() => parseImageEditJson(body));
    expect(error.param).toBe(param);
    expect(error.message).toContain(message);
  });
});

describe('parseImageEditForm', () => {
  const file = (name: string, data: Buffer) => ({ name, filename: 'x.png', contentType: 'application/octet-stream', data });
  const text = (name: string, value: string) => ({ name, value });

  it('reads one image, numbers sent as text, and the gateway fields', () => {
    const request = parseImageEditForm([
      text('model', 'nano-banana-2'),
      text('prompt', 'Add a hat'),
      text('n', '2'),
      text('size', '1024x1536'),
      text('image_size', '2K'),
      text('response_format', 'b64_json'),
      file('image', png),
    ]);
    expect(request).toMatchObject({ n: 2, size: { width: 1024, height: 1536 }, imageSize: '2K', responseFormat: 'b64_json' });
    expect(request.images).toHaveLength(1);
  });

  it('reads several images from image[] parts, in order', () => {
    const request = parseImageEditForm([text('model', 'm'), text('prompt', 'p'), file('image[]', webp), file('image[]', heic), file('image[]', png)]);
    expect(request.images.map((i) => i.contentType)).toEqual(['image/webp', 'image/heic', 'image/png']);
  });

  it('names the bad part', () => {
    expect(rejection(() => parseImageEditForm([text('model', 'm'), text('prompt', 'p')])).param).toBe('image');
    expect(rejection(() => parseImageEditForm([text('model', 'm'), text('prompt', 'p'), file('image[]', png), file('image[]', gif)])).param).toBe('image[1]');
    expect(rejection(() => parseImageEditForm([text('model', 'm'), text('prompt', 'p'), file('image', png), file('mask', png)])).param).toBe('mask');
    expect(rejection(() => parseImageEditForm([text('model', 'm'), text('prompt', 'p'), text('n', 'two'), file('image', png)])).param).toBe('n');
  });
});

describe('toImagesRequestJson and renderImagesResponse', () => {
  it('writes the request back in OpenAI names', () => {
    const request = parseImageGenerationRequest({ model: 'm', prompt: 'p', n: 2, size: '1536x1024', image_size: '4K' });
    expect(toImagesRequestJson(request)).toEqual({ model: 'm', prompt: 'p', n: 2, size: '1536x1024', image_size: '4K', response_format: 'url' });
    expect(toImagesRequestJson(parseImageGenerationRequest({ model: 'm', prompt: 'p' }))).toEqual({ model: 'm', prompt: 'p', n: 1, response_format: 'url' });
  });

  it('renders output_format only when all images agree', () => {
    expect(renderImagesResponse(5, [{ image: { url: 'u' }, contentType: 'image/png' }])).toEqual({ created: 5, data: [{ url: 'u' }], output_format: 'png' });
    expect(
      renderImagesResponse(5, [
        { image: { b64_json: 'a' }, contentType: 'image/png' },
        { image: { b64_json: 'b' }, contentType: 'image/jpeg' },
      ]),
    ).toEqual({ created: 5, data: [{ b64_json: 'a' }, { b64_json: 'b' }] });
  });
});

describe('image bytes', () => {
  it('knows the formats by their magic numbers', () => {
    expect([png, jpeg, webp, gif, heic].map((b) => sniffImageType(b))).toEqual(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/heic']);
    expect(sniffImageType(Buffer.from('hello world!'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });

  it('reads a PNG header', () => {
    expect(pngDimensions(png)).toEqual({ width: 1, height: 1 });
    expect(pngDimensions(jpeg)).toBeUndefined();
  });
});
