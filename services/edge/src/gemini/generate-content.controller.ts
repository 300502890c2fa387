import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { providers } from '@apitopmix/catalog';
import { CanonicalChatResponse, CanonicalStreamEvent, chat, TokenEstimate } from '@apitopmix/contracts';
import { geminiDialect, GeminiInboundRequest, geminiSseFrame, JsonArrayFraming, parseGeminiRequest, toGeminiError } from '@apitopmix/dialects/gemini';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CompletionRunner, DialectRequestReader } from '../chat/completion-runner';
import { StreamFraming } from '../http/sse-relay';

const actions = ['generateContent', 'streamGenerateContent'] as const;

/**
 * Gemini's native API (`/v1beta/models/{model}:generateContent` and `:streamGenerateContent`) and the same under
 * Vertex-style URLs (any project and location), for any model in the catalog. The model and the method come from
 * the path. For a Gemini upstream the body passes through and Google's answer comes back as sent; for any other,
 * the request travels in canonical form and the answer is rendered in Gemini's shapes.
 */
@Controller()
export class GenerateContentController {
  constructor(private readonly runner: CompletionRunner) {}

  @Post(['/v1beta/models/*', '/v1/projects/:project/locations/:location/publishers/google/models/*'])
  async generate(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target = (req.params as Record<string, string>)['*'] ?? '';
    const separator = target.lastIndexOf(':');
    const model = decodeURIComponent(separator < 0 ? target : target.slice(0, separator));
    const action = separator < 0 ? '' : target.slice(separator + 1);
    if (!(actions as readonly string[]).includes(action)) {
      throw new GatewayError(
        ErrorCode.RouteNotFound,
        `Method not found: ${action ? `:${action}` : 'none given'} (use :generateContent or :streamGenerateContent).`,
      );
    }
    const stream = action === 'streamGenerateContent';
    const reader: DialectRequestReader<GeminiInboundRequest> = {
      parse: (body) => ({ model, stream, body: parseGeminiRequest(body) }),
      model: (request) => request.model,
      estimateTokens: (request, entry) => estimateGeminiTokens(request, entry.maxOutputTokens),
    };
    const admitted = await this.runner.admit(req, reply, reader);
    const sse = (req.query as Record<string, unknown>).alt === 'sse';
    if (providers[admitted.model.provider].format === 'gemini') {
      const body = req.rawBody ?? Buffer.from(JSON.stringify(admitted.request.body));
      const completion = this.runner.completionRequest(req, admitted, chat.WireFormat.WIRE_FORMAT_GEMINI, body, true);
      if (!stream) {
        const response = await this.runner.complete(req, admitted, completion);
        reply.status(200).header('content-type', 'application/json').send(response.body);
        return;
      }
      await this.runner.stream(reply, admitted, completion, sse ? sseFraming() : jsonArrayFraming());
      return;
    }
    const canonical = geminiDialect.toCanonical(admitted.request);
    const includeThoughts = canonical.thinking?.includeThoughts === true;
    const completion = this.runner.completionRequest(req, admitted, chat.WireFormat.WIRE_FORMAT_CANONICAL, Buffer.from(JSON.stringify(canonical)), true);
    if (!stream) {
      const response = await this.runner.complete(req, admitted, completion);
      const answer = geminiDialect.fromCanonical(JSON.parse(response.body.toString('utf8')) as CanonicalChatResponse, { model, includeThoughts });
      reply.status(200).header('content-type', 'application/json').send(JSON.stringify(answer));
      return;
    }
    const renderer = sse ? geminiDialect.streamRenderer({ model, includeThoughts }) : geminiDialect.jsonArrayStreamRenderer({ model, includeThoughts });
    const framing: StreamFraming = {
      headers: sse ? undefined : { 'content-type': 'application/json; charset=utf-8' },
      keepAlive: sse,
      frames: (data) => renderer.render(JSON.parse(data.toString('utf8')) as CanonicalStreamEvent),
      end: () => renderer.end(),
      error: (error) => renderer.render({ type: 'error', code: error.code, message: toGeminiError(error).body.error.message }).join(''),
    };
    await this.runner.stream(reply, admitted, completion, framing);
  }
}

/** Google's own chunks as `alt=sse` frames; an error mid-stream is one more frame, as Google sends it. */
function sseFraming(): StreamFraming {
  return {
    frames: (data) => ['data: ', data, '\r\n\r\n'],
    end: () => [],
    error: (error) => geminiSseFrame(toGeminiError(error).body),
  };
}

/** Google's own chunks as the elements of one JSON array; an error mid-stream is its last element. */
function jsonArrayFraming(): StreamFraming {
  const array = new JsonArrayFraming();
  return {
    headers: { 'content-type': 'application/json; charset=utf-8' },
    keepAlive: false,
    frames: (data) => [array.element(data.toString('utf8'))],
    end: () => [array.close()],
    error: (error) => `${array.element(JSON.stringify(toGeminiError(error).body))}]`,
  };
}

/** Prompt text at about four characters per token, plus the most the request may generate. */
function estimateGeminiTokens(request: GeminiInboundRequest, modelMaxOutput: number): TokenEstimate {
  let chars = 0;
  for (const content of request.body.contents ?? []) for (const part of content.parts ?? []) if (typeof part.text === 'string') chars += part.text.length;
  const maxOutput = request.body.generationConfig?.maxOutputTokens ?? Math.min(modelMaxOutput, 4_096);
  return { inputTokens: Math.ceil(chars / 4), outputTokens: maxOutput * (request.body.generationConfig?.candidateCount ?? 1) };
}
