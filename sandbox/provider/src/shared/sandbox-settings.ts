// Runtime knobs of the sandbox, shared by every wire format. Later fault knobs (429, 500, timeouts, mid-stream
// errors) belong here too, so the env config, the control API and the handlers all see one definition.
import { z } from 'zod';

/** One hour: far above any useful test delay, low enough that a typo cannot hang a suite forever. */
export const MAX_DELAY_MS = 3_600_000;

const delayMs = z.number().int().min(0).max(MAX_DELAY_MS);

export const sandboxSettingsSchema = z.object({
  /** Delay before the first byte of every provider response (the head of a stream, or the whole JSON reply). */
  latencyMs: delayMs,
  /** Delay between two server-sent events of a stream. */
  chunkDelayMs: delayMs,
});

export type SandboxSettings = z.infer<typeof sandboxSettingsSchema>;

/** A partial update for `PUT /_sandbox/settings`; unknown keys are refused so a typo fails the test that made it. */
export const sandboxSettingsPatchSchema = sandboxSettingsSchema.partial().strict();

export type SandboxSettingsPatch = z.infer<typeof sandboxSettingsPatchSchema>;

export const DEFAULT_SANDBOX_SETTINGS: Readonly<SandboxSettings> = Object.freeze({ latencyMs: 0, chunkDelayMs: 0 });
