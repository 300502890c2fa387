import { once } from 'node:events';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { FastifyReply } from 'fastify';
import { chat, common } from '@apitopmix/contracts';
import { sseDone, sseEvent, sseHeaders, toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError, isErrorCode } from '@apitopmix/platform/errors';
import { fromGrpcError, isTransportFailure } from '@apitopmix/platform/grpc';
import { shuttingDownError } from '../health/edge-shutdown';
import { recordGenAiResponse } from './request-telemetry';

export interface RelayOutcome {
  usage?: common.TokenUsage;
  /** Which provider and model answered, from the stream's end (or error) event. */
  upstream?: chat.Upstream;
  clientGone: boolean;
  /** Seconds from the call to the stream's first event. */
  firstEventSeconds?: number;
  /** The stream was cut by the edge's shutdown (it ended with an error event). */
  cut?: boolean;
}

/**
 * Relays a chat stream to the client as server-sent events, each event written the moment it arrives.
 * - Headers go out with the first event, so an error before it is still a plain JSON error with its status.
 * - Backpressure: while the client's socket is full, the gRPC stream is not read (its flow control then holds
 *   chat, which holds the upstream).
 * - A client that goes away cancels the gRPC call, which aborts the upstream.
 * - A failure after the first event ends the stream with an error event, never a silent truncation.
 * - `shutdown` aborting (the edge's grace period is over) cancels the call (chat then bills what was generated) and
 *   ends the stream with an error event, or answers 503 if nothing was sent yet.
 */
/** How a dialect frames a stream: what to write for each chat event, at the end, and for a failure. */
export interface StreamFraming {
  /** Response headers that differ from server-sent events' (Gemini's JSON-array streaming). */
  headers?: Record<string, string>;
  /** Whether an SSE comment may be written on long silences (not in a JSON array). */
  keepAlive?: boolean;
  /** What to write for one chat event; `eventName` is set for formats that name their events (Anthropic's). */
  frames(data: Buffer, eventName?: string): (Buffer | string)[];
  end(): (Buffer | string)[];
  error(error: GatewayError): string;
}

/** OpenAI pass-through: the upstream's own event data, framed as OpenAI does. */
export const openAiPassthroughFraming: StreamFraming = {
  frames: (data) => [sseEvent(data)],
  end: () => [sseDone],
  error: (error) => sseEvent(JSON.stringify(toOpenAiError(error))).toString(),
};

/**
 * After this much silence the stream gets an SSE comment (`: keep-alive`), so proxies and clients with idle
 * timeouts do not cut a model that is thinking. Before the first event this also commits the response to 200:
 * a failure after that is reported as an error event rather than a status.
 */
export const KEEP_ALIVE_MS = 15_000;

export async function relayStream(
  reply: FastifyReply,
  call: ClientReadableStream<chat.CompletionEvent>,
  headers: Record<string, string>,
  framing: StreamFraming = openAiPassthroughFraming,
  keepAliveMs = KEEP_ALIVE_MS,
  shutdown?: AbortSignal,
): Promise<RelayOutcome> {
  const raw = reply.raw;
  let started = false;
  let finished = false;
  let lastWrite = Date.now();
  const called = process.hrtime.bigint();
  let firstEventSeconds: number | undefined;
  const onClose = () => {
    if (!finished) call.cancel();
  };
  raw.once('close', onClose);
  const onShutdown = () => call.cancel();
  if (shutdown?.aborted) call.cancel();
  else shutdown?.addEventListener('abort', onShutdown, { once: true });
  const start = () => {
    if (started) return;
    reply.hijack();
    raw.writeHead(200, { ...sseHeaders, ...framing.headers, ...headers });
    started = true;
  };
  const keepAlive =
    framing.keepAlive === false
      ? undefined
      : setInterval(
          () => {
            if (finished || raw.destroyed || Date.now() - lastWrite < keepAliveMs) return;
            start();
            raw.write(': keep-alive\n\n');
            lastWrite = Date.now();
          },
          Math.max(10, Math.floor(keepAliveMs / 3)),
        );
  // The last event is answered at once, but the loop reads on to the call's end (its status follows at once), so
  // the call is not aborted by leaving the iterator early.
  let ended: RelayOutcome | undefined;
  try {
    for await (const event of call as AsyncIterable<chat.CompletionEvent>) {
      if (ended) continue;
      firstEventSeconds ??= Number(process.hrtime.bigint() - called) / 1e9;
      start();
      lastWrite = Date.now();
      if (event.data) {
        let full = false;
        for (const frame of framing.frames(event.data, event.eventName)) full = !raw.write(frame) || full;
        if (full) await drained(raw);
      } else if (event.end) {
        finished = true;
        // Before the response ends, which ends the request's span.
        recordGenAiResponse(reply.request, event.end.upstream, event.end.usage, firstEventSeconds);
        for (const frame of framing.end()) raw.write(frame);
        raw.end();
        ended = { usage: event.end.usage, upstream: event.end.upstream, clientGone: false, firstEventSeconds };
        continue;
      } else if (event.error) {
        finished = true;
        const error = new GatewayError(isErrorCode(event.error.code) ? event.error.code : ErrorCode.UpstreamUnavailable, event.error.message);
        recordGenAiResponse(reply.request, undefined, event.error.usage, firstEventSeconds);
        raw.end(framing.error(error));
        ended = { usage: event.error.usage, clientGone: false, firstEventSeconds };
        continue;
      }
      if (raw.destroyed) break;
    }
    if (ended) return ended;
    if (raw.destroyed) return { clientGone: true };
    throw new GatewayError(ErrorCode.UpstreamUnavailable, 'The stream ended before the upstream finished.');
  } catch (error) {
    if (ended) return ended;
    if (raw.destroyed || raw.writableEnded) return { clientGone: true };
    const cut = shutdown?.aborted === true;
    const failure = cut ? shuttingDownError() : asGatewayError(error);
    if (!started) throw failure;
    finished = true;
    raw.end(framing.error(failure));
    return { clientGone: false, firstEventSeconds, cut };
  } finally {
    if (keepAlive) clearInterval(keepAlive);
    raw.off('close', onClose);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error && typeof error === 'object' && 'metadata' in error && 'code' in error) {
    const mapped = fromGrpcError(error as ServiceError, 'chat');
    // A stream reset under it (chat stopped past its grace period, or crashed) is an outage, not a bug of ours.
    if (mapped.code === ErrorCode.Internal && isTransportFailure(error as ServiceError))
      return new GatewayError(ErrorCode.ServiceUnavailable, 'The stream was interrupted.');
    return mapped;
  }
  return new GatewayError(ErrorCode.ServiceUnavailable, 'The stream was interrupted.');
}

async function drained(raw: FastifyReply['raw']): Promise<void> {
  await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}
