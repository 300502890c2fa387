/** One image of OpenAI's `ImagesResponse`: a URL, or the image base64-encoded. */
export type OpenAiImage = { url: string } | { b64_json: string };

/** OpenAI's `ImagesResponse` (`created` in Unix seconds). */
export interface OpenAiImagesResponse {
  created: number;
  data: OpenAiImage[];
  output_format?: 'png' | 'jpeg' | 'webp';
}

const outputFormats: Record<string, OpenAiImagesResponse['output_format']> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

/** The response, with `output_format` when every image has the same, known one. */
export function renderImagesResponse(created: number, images: { image: OpenAiImage; contentType: string }[]): OpenAiImagesResponse {
  const formats = new Set(images.map((i) => outputFormats[i.contentType]));
  const [format] = formats;
  return { created, data: images.map((i) => i.image), ...(formats.size === 1 && format ? { output_format: format } : {}) };
}
