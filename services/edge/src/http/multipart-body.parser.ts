import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FormPart } from '@apitopmix/dialects/openai-images';
import { GatewayError } from '@apitopmix/platform/errors';

/** The body of a multipart/form-data request, on routes that take one (route config `{ multipart: true }`). */
export class MultipartBody {
  constructor(readonly parts: FormPart[]) {}
}

/**
 * multipart/form-data, read whole (within the body limit) and split into parts with the runtime's own parser
 * (undici's `Response.formData()`), only on routes whose config says `multipart: true` (OpenAI's SDKs upload
 * image edits this way). Anywhere else it stays what it was: a body that is not JSON, 400.
 */
export function registerMultipartBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, async (request: FastifyRequest, body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    request.rawBody = bytes;
    if ((request.routeOptions.config as { multipart?: boolean } | undefined)?.multipart !== true) {
      throw GatewayError.invalid('We could not parse the JSON body of your request. The body must be valid JSON.');
    }
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
    } catch {
      throw GatewayError.invalid('We could not parse the multipart/form-data body of your request.');
    }
    const parts: FormPart[] = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') parts.push({ name, value });
      else parts.push({ name, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
    return new MultipartBody(parts);
  });
}
