/** One upstream request as the sandbox provider logged it (sandbox/provider/src/shared/request-log.ts). */
export interface SandboxCall {
  at: string;
  method: string;
  path: string;
  deployment: string | null;
  headers: Record<string, string | string[]>;
  body: Record<string, unknown>;
  status: number | null;
  aborted: boolean;
  chunksSent: number;
  fault: string | null;
}

/** The sandbox provider's test controls: its live settings (latency, fault rules) and its request log. */
export class SandboxControl {
  constructor(private readonly url: string) {}

  /** Changes the settings for later requests: `latencyMs`, `chunkDelayMs`, `faults`, … */
  async settings(settings: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.url}/_sandbox/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (!response.ok) throw new Error(`sandbox settings refused (${response.status}): ${await response.text()}`);
  }

  /** Replaces the fault rules (and any other settings given with them). */
  faults(faults: unknown[], settings: Record<string, unknown> = {}): Promise<void> {
    return this.settings({ faults, ...settings });
  }

  async clearRequests(): Promise<void> {
    await fetch(`${this.url}/_sandbox/requests`, { method: 'DELETE' });
  }

  /** The logged requests, oldest first. */
  async requests(): Promise<SandboxCall[]> {
    return ((await (await fetch(`${this.url}/_sandbox/requests`)).json()) as { requests: SandboxCall[] }).requests;
  }
}
