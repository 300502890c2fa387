import { once } from 'node:events';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { FastifyReply } from 'fastify';
import { chat, common } from '@apitopmix/contracts';
import { sseDone, sseEvent, sseHeaders, toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError, isErrorCode } from '@apitopmix/platform/errors';
import { fromGrpcError } from '@apitopmix/platform/grpc';

export interface RelayOutcome {
  usage?: common.TokenUsage;
  clientGone: boolean;
}

/**
 * Relays a chat stream to the client as server-sent events, each event written the moment it arrives.
 * - Headers go out with the first event, so an error before it is still a plain JSON error with its status.
 * - Backpressure: while the client's socket is full, the gRPC stream is not read (its flow control then holds
 *   chat, which holds the upstream).
 * - A client that goes away cancels the gRPC call, which aborts the upstream.
 * - A failure after the first event ends the stream with an error event, never a silent truncation.
 */
/** How a dialect frames a stream: what to write for each chat event, at the end, and for a failure. */
export interface StreamFraming {
  /** Response headers that differ from server-sent events' (Gemini's JSON-array streaming). */
  headers?: Record<string, string>;
  frames(data: Buffer): (Buffer | string)[];
  end(): (Buffer | string)[];
  error(error: GatewayError): string;
}

/** OpenAI pass-through: the upstream's own event data, framed as OpenAI does. */
export const openAiPassthroughFraming: StreamFraming = {
  frames: (data) => [sseEvent(data)],
  end: () => [sseDone],
  error: (error) => sseEvent(JSON.stringify(toOpenAiError(error))).toString(),
};

export async function relayStream(
  reply: FastifyReply,
  call: ClientReadableStream<chat.CompletionEvent>,
  headers: Record<string, string>,
  framing: StreamFraming = openAiPassthroughFraming,
): Promise<RelayOutcome> {
  const raw = reply.raw;
  let started = false;
  let finished = false;
  const onClose = () => {
    if (!finished) call.cancel();
  };
  raw.once('close', onClose);
  const start = () => {
    if (started) return;
    reply.hijack();
    raw.writeHead(200, { ...sseHeaders, ...framing.headers, ...headers });
    started = true;
  };
  try {
    for await (const event of call as AsyncIterable<chat.CompletionEvent>) {
      start();
      if (event.data) {
        let full = false;
        for (const frame of framing.frames(event.data)) full = !raw.write(frame) || full;
        if (full) await drained(raw);
      } else if (event.end) {
        finished = true;
        for (const frame of framing.end()) raw.write(frame);
        raw.end();
        return { usage: event.end.usage, clientGone: false };
      } else if (event.error) {
        finished = true;
        const error = new GatewayError(isErrorCode(event.error.code) ? event.error.code : ErrorCode.UpstreamUnavailable, event.error.message);
        raw.end(framing.error(error));
        return { usage: event.error.usage, clientGone: false };
      }
      if (raw.destroyed) break;
    }
    if (raw.destroyed) return { clientGone: true };
    throw new GatewayError(ErrorCode.UpstreamUnavailable, 'The stream ended before the upstream finished.');
  } catch (error) {
    if (raw.destroyed || raw.writableEnded) return { clientGone: true };
    const failure = asGatewayError(error);
    if (!started) throw failure;
    finished = true;
    raw.end(framing.error(failure));
    return { clientGone: false };
  } finally {
    raw.off('close', onClose);
  }
}

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error && typeof error === 'object' && 'metadata' in error && 'code' in error) return fromGrpcError(error as ServiceError, 'chat');
  return new GatewayError(ErrorCode.ServiceUnavailable, 'The stream was interrupted.');
}

async function drained(raw: FastifyReply['raw']): Promise<void> {
  await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}
