// Runtime knobs of the sandbox, shared by every wire format: delays, and the fault rules that make matching
// requests fail. The env config, the control API and the handlers all see this one definition.
import { z } from 'zod';
import { faultRuleSchema, type FaultState } from './fault-rules';

/** One hour: far above any useful test delay, low enough that a typo cannot hang a suite forever. */
export const MAX_DELAY_MS = 3_600_000;

const delayMs = z.number().int().min(0).max(MAX_DELAY_MS);

/** The delay knobs, which the environment can also set at boot. */
export const sandboxSettingsSchema = z.object({
  /** Delay before the first byte of every provider response (the head of a stream, or the whole JSON reply). */
  latencyMs: delayMs,
  /** Delay between two server-sent events of a stream. */
  chunkDelayMs: delayMs,
});

export type SandboxDelays = z.infer<typeof sandboxSettingsSchema>;

export interface SandboxSettings extends SandboxDelays {
  /** Fault rules in the order they are tried, with their remaining counts. */
  faults: FaultState[];
}

/**
 * A partial update for `PUT /_sandbox/settings`; unknown keys are refused so a typo fails the test that made it.
 * `faults`, when present, replaces the whole list (and resets the counts).
 */
export const sandboxSettingsPatchSchema = sandboxSettingsSchema
  .extend({ faults: z.array(faultRuleSchema).max(100) })
  .partial()
  .strict();

export type SandboxSettingsPatch = z.infer<typeof sandboxSettingsPatchSchema>;

export const DEFAULT_SANDBOX_SETTINGS: Readonly<SandboxDelays> = Object.freeze({ latencyMs: 0, chunkDelayMs: 0 });
