// Sends a planned stream frame by frame with the configured pacing, and breaks it the way a fault rule says:
// an in-stream error (or a cut connection) after N frames, bytes that are not valid framing, or a stall.
import { pause, waitForClientToLeave } from './http-io';
import type { SandboxContext } from './sandbox-router';
import type { StreamWriter } from './stream-writer';

export interface StreamDisruption {
  kind: 'midstream' | 'garbage' | 'timeout';
  /** Frames sent intact before the disruption. A stream with fewer frames ends normally. */
  afterChunks: number;
  /** midstream: the status whose error type the in-stream error carries. */
  status?: number;
}

/** How one wire format breaks a stream. */
export interface StreamFaultFrames {
  /** The format's in-stream error frame, or null when the format reports a mid-stream failure by cutting the connection. */
  midstreamError(status: number | undefined): string | null;
  /** Bytes that do not parse: broken JSON inside otherwise valid framing, then lines that are not the format at all. */
  garbage: string;
}

/**
 * Writes `frames` (lazily produced, already framed) with `chunkDelayMs` between them, then ends the response with
 * `closing` (not counted as a frame: the `]` of a JSON array). Rejects with an AbortError if the client leaves.
 */
export async function pumpStream(
  ctx: SandboxContext,
  writer: StreamWriter,
  frames: Iterable<string>,
  faultFrames: StreamFaultFrames,
  closing?: string,
): Promise<void> {
  const disruption = ctx.disruption;
  let index = 0;
  for (const frame of frames) {
    if (disruption && index === disruption.afterChunks) return disrupt(ctx, writer, disruption, faultFrames, index);
    // Frames are produced one per wait: a client that disconnects stops generation at the next pause.
    if (index > 0) await pause(ctx.settings.chunkDelayMs, ctx.signal);
    await writer.write(frame);
    index += 1;
  }
  writer.end(closing);
}

async function disrupt(ctx: SandboxContext, writer: StreamWriter, disruption: StreamDisruption, faultFrames: StreamFaultFrames, index: number): Promise<void> {
  if (disruption.kind === 'timeout') {
    // Stall: headers and some frames sent, then silence with the connection open until the client gives up.
    await waitForClientToLeave(ctx.signal);
    return;
  }
  if (index > 0) await pause(ctx.settings.chunkDelayMs, ctx.signal);
  if (disruption.kind === 'garbage') {
    await writer.write(faultFrames.garbage);
    writer.end();
    return;
  }
  const errorFrame = faultFrames.midstreamError(disruption.status);
  if (errorFrame === null) {
    ctx.cut();
    return;
  }
  await writer.write(errorFrame);
  writer.end();
}
