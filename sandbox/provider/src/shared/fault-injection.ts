// Applies the fault rule matching a generation request before its handler runs. Faults that replace the whole
// response (an HTTP error, a hang, a garbage body) are answered here; faults that break a stream halfway are handed
// to the handler as a StreamDisruption, because only it knows where its frames are.
import type { OutgoingHttpHeaders } from 'node:http';
import { takeFault } from './fault-rules';
import { waitForClientToLeave } from './http-io';
import type { SandboxContext } from './sandbox-router';
import type { StreamDisruption } from './stream-pump';
import type { WireFormat } from './wire-format';

/** How one wire format renders the faults that replace a whole response. */
export interface FaultResponder {
  /** Sends the format's own error body for `status`, with the extra headers (Retry-After). */
  sendError(ctx: SandboxContext, status: number, headers: OutgoingHttpHeaders): void;
  /** A 200 body announced as JSON that does not parse. */
  garbageBody: string;
}

export interface FaultRequest {
  format: WireFormat;
  model: string | undefined;
  stream: boolean;
}

export type FaultOutcome = { handled: true } | { handled: false; disruption?: StreamDisruption };

export const DEFAULT_MIDSTREAM_AFTER_CHUNKS = 1;
export const NON_STREAMING_MIDSTREAM_STATUS = 500;

export async function applyFault(ctx: SandboxContext, request: FaultRequest, responder: FaultResponder): Promise<FaultOutcome> {
  const fault = takeFault(ctx.settings.faults, { format: request.format, model: request.model, deployment: ctx.deployment });
  if (!fault) return { handled: false };
  if (ctx.record) ctx.record.fault = fault.kind;

  switch (fault.kind) {
    case 'status': {
      const headers = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      responder.sendError(ctx, fault.status, headers);
      return { handled: true };
    }
    case 'timeout':
      if (request.stream && fault.afterChunks !== undefined) {
        return { handled: false, disruption: { kind: 'timeout', afterChunks: fault.afterChunks } };
      }
      // Never send a byte: hold the connection until the client (or its timeout) gives up.
      await waitForClientToLeave(ctx.signal);
      return { handled: true };
    case 'midstream':
      if (request.stream) {
        const afterChunks = fault.afterChunks ?? DEFAULT_MIDSTREAM_AFTER_CHUNKS;
        return { handled: false, disruption: { kind: 'midstream', afterChunks, status: fault.status } };
      }
      // A plain response has no middle: the failure it would cause is a server error.
      responder.sendError(ctx, fault.status ?? NON_STREAMING_MIDSTREAM_STATUS, {});
      return { handled: true };
    case 'garbage':
      if (request.stream) return { handled: false, disruption: { kind: 'garbage', afterChunks: fault.afterChunks ?? 0 } };
      ctx.res.writeHead(200, { 'content-type': 'application/json' });
      ctx.res.end(responder.garbageBody);
      return { handled: true };
  }
}
