import { z } from 'zod';
import { GatewayError } from '@apitopmix/platform/errors';
import { InputImageType, sniffImageType } from './image-bytes';

/** OpenAI's bounds: `n` 1–10, at most 16 input images, a prompt of at most 32,000 characters (GPT image models). */
export const MAX_IMAGES_PER_REQUEST = 10;
export const MAX_INPUT_IMAGES = 16;
export const MAX_PROMPT_CHARS = 32_000;
/** Each side of a `size` in pixels. Larger than any upstream produces; the adapter maps it to what it can. */
export const MAX_SIZE_PIXELS = 16_384;

export type ImageResponseFormat = 'url' | 'b64_json';

export interface RequestedSize {
  width: number;
  height: number;
}

/**
 * A validated images request, the same for generations and edits: the dialect's hub between the OpenAI wire shape
 * (JSON or multipart) and whatever an upstream adapter makes of it. `size` absent means `auto` (the upstream's
 * choice); `imageSize` is the gateway's `image_size` as sent, checked against the model's list by the caller.
 */
export interface ImagesRequest {
  model: string;
  prompt: string;
  n: number;
  size?: RequestedSize;
  imageSize?: string;
  responseFormat: ImageResponseFormat;
}

export interface InputImage {
  contentType: InputImageType;
  data: Buffer;
}

export interface ImageEditRequest extends ImagesRequest {
  images: InputImage[];
}

/** The JSON that travels to the service behind the edge (input images travel apart, as bytes). */
export interface ImagesRequestJson {
  model: string;
  prompt: string;
  n: number;
  size?: string;
  image_size?: string;
  response_format: ImageResponseFormat;
}

const sizePattern = /^(\d{1,5})x(\d{1,5})$/;

/** `1024x1536` → {width, height}; `auto`, null and absent → undefined. */
export function parseImageSize(value: string | null | undefined): RequestedSize | undefined {
  if (value === undefined || value === null || value === 'auto') return undefined;
  const match = sizePattern.exec(value);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1 || width > MAX_SIZE_PIXELS || height > MAX_SIZE_PIXELS) {
    throw GatewayError.invalid(
      `Invalid value for 'size': '${value}'. Use 'auto' or WIDTHxHEIGHT in pixels (1 to ${MAX_SIZE_PIXELS} each), such as '1024x1024' or '1536x1024'.`,
      'size',
    );
  }
  return { width, height };
}

// Fields are checked as OpenAI's API checks them; unknown fields are ignored, never rejected.
const common = {
  model: z.string().min(1),
  prompt: z.string().min(1).max(MAX_PROMPT_CHARS),
  n: z.number().int().min(1).max(MAX_IMAGES_PER_REQUEST).nullish(),
  size: z.string().nullish(),
  image_size: z.string().nullish(),
  response_format: z.enum(['url', 'b64_json']).nullish(),
  output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
  background: z.enum(['transparent', 'opaque', 'auto']).nullish(),
  stream: z.boolean().nullish(),
};

const generationSchema = z.looseObject(common);

const imageRef = z.looseObject({ image_url: z.string().optional(), file_id: z.string().optional() });
const editJsonSchema = z.looseObject({
  ...common,
  images: z.array(imageRef).min(1).max(MAX_INPUT_IMAGES),
  mask: z.unknown().optional(),
});

type CommonFields = z.infer<typeof generationSchema>;

/** `POST /v1/images/generations`: a parsed JSON body. */
export function parseImageGenerationRequest(body: unknown): ImagesRequest {
  return toRequest(validate(generationSchema, body));
}

/** `POST /v1/images/edits` with a JSON body: `images` as data URLs (`[{image_url: "data:image/png;base64,…"}]`). */
export function parseImageEditJson(body: unknown): ImageEditRequest {
  const request = validate(editJsonSchema, body);
  if (request.mask !== undefined && request.mask !== null) throw maskUnsupported();
  const images = request.images.map((ref, i) => {
    const param = `images[${i}].image_url`;
    if (ref.file_id !== undefined) {
      throw GatewayError.invalid(`Invalid value for 'images[${i}]': file ids are not supported; send the image as a data URL or upload it.`, `images[${i}]`);
    }
    if (ref.image_url === undefined) throw GatewayError.invalid(`Missing required parameter: '${param}'.`, param);
    return inputImage(decodeDataUrl(ref.image_url, param), param);
  });
  return { ...toRequest(request), images };
}

/** One part of a multipart/form-data body. */
export type FormPart = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Buffer };

/**
 * `POST /v1/images/edits` as multipart/form-data, as OpenAI's SDKs send it: `image` (one file) or `image[]` (one
 * part per file), text fields for the rest (numbers as text).
 */
export function parseImageEditForm(parts: FormPart[]): ImageEditRequest {
  const fields: Record<string, unknown> = {};
  const files: Extract<FormPart, { data: Buffer }>[] = [];
  for (const part of parts) {
    if ('data' in part) {
      if (part.name === 'image' || part.name === 'image[]') files.push(part);
      else if (part.name === 'mask') throw maskUnsupported();
      continue;
    }
    if (part.name === 'mask') throw maskUnsupported();
    fields[part.name] = part.value;
  }
  if (typeof fields.n === 'string') fields.n = numberOrText(fields.n);
  if (typeof fields.stream === 'string') fields.stream = fields.stream === 'true' ? true : fields.stream === 'false' ? false : fields.stream;
  const request = validate(generationSchema, fields);
  if (files.length === 0) throw GatewayError.invalid("Missing required parameter: 'image'.", 'image');
  if (files.length > MAX_INPUT_IMAGES) throw GatewayError.invalid(`Invalid value for 'image': at most ${MAX_INPUT_IMAGES} images.`, 'image');
  const images = files.map((file, i) => inputImage(file.data, files.length === 1 ? 'image' : `image[${i}]`));
  return { ...toRequest(request), images };
}

/** The request as the JSON sent on to the images service. */
export function toImagesRequestJson(request: ImagesRequest): ImagesRequestJson {
  return {
    model: request.model,
    prompt: request.prompt,
    n: request.n,
    ...(request.size ? { size: `${request.size.width}x${request.size.height}` } : {}),
    ...(request.imageSize !== undefined ? { image_size: request.imageSize } : {}),
    response_format: request.responseFormat,
  };
}

function toRequest(request: CommonFields): ImagesRequest {
  if (request.stream === true) {
    throw GatewayError.invalid("Invalid value for 'stream': streaming image generation is not supported; leave it out or false.", 'stream');
  }
  if (request.output_format && request.output_format !== 'png') {
    throw GatewayError.invalid(`Invalid value for 'output_format': '${request.output_format}'. Images are returned as PNG only.`, 'output_format');
  }
  if (request.background === 'transparent') {
    throw GatewayError.invalid("Invalid value for 'background': transparent backgrounds are not supported.", 'background');
  }
  return {
    model: request.model,
    prompt: request.prompt,
    n: request.n ?? 1,
    size: parseImageSize(request.size),
    imageSize: request.image_size ?? undefined,
    responseFormat: request.response_format ?? 'url',
  };
}

function inputImage(data: Buffer, param: string): InputImage {
  const contentType = sniffImageType(data);
  if (!contentType || contentType === 'image/gif') {
    throw GatewayError.invalid(`Invalid value for '${param}': the image must be a PNG, JPEG, WEBP, HEIC or HEIF file.`, param);
  }
  return { contentType, data };
}

function decodeDataUrl(url: string, param: string): Buffer {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) {
    throw GatewayError.invalid(
      `Invalid value for '${param}': only data URLs (data:image/png;base64,…) are accepted; the gateway does not fetch images by URL.`,
      param,
    );
  }
  if (!match[2].split(';').includes('base64') || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(match[3].replace(/\s+/g, ''))) {
    throw GatewayError.invalid(`Invalid value for '${param}': the data URL must carry base64 data.`, param);
  }
  return Buffer.from(match[3], 'base64');
}

function maskUnsupported(): GatewayError {
  return GatewayError.invalid("Invalid value for 'mask': masks are not supported by this model; describe the region to change in the prompt.", 'mask');
}

function numberOrText(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

function validate<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw GatewayError.invalid('The request body must be a JSON object.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = toParam(issue.path);
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], body);
  throw GatewayError.invalid(value === undefined ? `Missing required parameter: '${param}'.` : `Invalid value for '${param}': ${describe(issue)}`, param);
}

function toParam(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}.`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}.`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_type':
      return `expected ${issue.expected}.`;
    default:
      return `${issue.message}.`;
  }
}
