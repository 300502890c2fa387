import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalStreamEvent } from './canonical-chat';

/**
 * The two halves every translation is made of. An inbound dialect (libs/dialects/<dialect>) turns its requests into
 * canonical ones and canonical answers back into its own shapes; an upstream format (libs/providers/<provider>) turns
 * canonical requests into its own and its answers into canonical ones. Pure functions and small state machines:
 * no I/O, no framework, so each side is unit-tested alone.
 */

/** Renders a canonical stream in a dialect's server-sent-events framing, one frame string per SSE event. */
export interface StreamRenderer {
  /** Frames for one canonical event (often one, sometimes none or several). */
  render(event: CanonicalStreamEvent): string[];
  /** Frames that close a stream that ended normally (e.g. OpenAI's `data: [DONE]`). */
  end(): string[];
}

/** Parses an upstream's stream, one server-sent event at a time, into canonical events. */
export interface StreamParser {
  push(event: { event?: string; data: string }): CanonicalStreamEvent[];
  /** Events owed when the upstream's body ends (a missing finish, a final usage). */
  end(): CanonicalStreamEvent[];
}

export interface InboundDialect<Request, Response> {
  toCanonical(request: Request): CanonicalChatRequest;
  fromCanonical(response: CanonicalChatResponse, context: { model: string }): Response;
  streamRenderer(context: { model: string; includeUsage: boolean }): StreamRenderer;
}

export interface UpstreamFormat<UpstreamRequest, UpstreamResponse> {
  toUpstream(request: CanonicalChatRequest, context: { upstreamModel: string }): UpstreamRequest;
  fromUpstream(response: UpstreamResponse): CanonicalChatResponse;
  streamParser(): StreamParser;
}
