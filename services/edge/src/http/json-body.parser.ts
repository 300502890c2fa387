import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '@apitopmix/platform/errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received: passed through to the upstream when no translation is needed. */
    rawBody?: Buffer;
  }
}

/**
 * Every request body is read as JSON, whatever its content type says (clients forget the header; the API has no
 * other body format), and its bytes are kept for pass-through. Malformed JSON is a 400 in the caller's dialect.
 */
export function registerJsonBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request: FastifyRequest, body: Buffer | string, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    request.rawBody = bytes;
    if (bytes.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch {
      done(GatewayError.invalid('We could not parse the JSON body of your request. The body must be valid JSON.'), undefined);
    }
  });
}
