/**
 * The wait before the next look at a job: `base × 2^attempt`, capped at `max`, with equal jitter (half fixed, half
 * random) so many jobs started together do not poll in lockstep. `attempt` counts polls that brought nothing new, or
 * failures in a row; it restarts at 0 when something changes.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
