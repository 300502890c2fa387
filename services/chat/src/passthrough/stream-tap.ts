import type { UpstreamUsage } from '@apitopmix/providers/core';

/**
 * Watches a passed-through stream on its way to the caller: it learns the upstream's usage and how far the answer
 * got (the estimate when a stream is cut before usage arrives), and may hold back what the caller did not ask for.
 * Event names pass unchanged; only the data of an event can be replaced or dropped.
 */
export interface StreamTap {
  /** The upstream's own usage, once it has reported any (a running count until `usageFinal`). */
  readonly usage?: UpstreamUsage;
  /** Whether `usage` is the upstream's final count; a stream cut before it is billed partly by estimate. */
  readonly usageFinal: boolean;
  /** Events that carried generated content: the output estimate when the stream ends before usage. */
  readonly contentChunks: number;
  /** Events seen so far. */
  readonly events: number;
  /** The data to forward for one upstream event, or undefined to forward nothing. Throws for an error event. */
  process(data: string, event?: string): string | undefined;
  /** Called when the upstream body ended; throws when it ended before the format's last event (a cut stream). */
  end(): void;
}
