import { backoffDelay } from './job-backoff';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, within equal jitter', () => {
    const low = (attempt: number) => backoffDelay(attempt, 100, 1_000, () => 0);
    const high = (attempt: number) => backoffDelay(attempt, 100, 1_000, () => 1);
    expect([0, 1, 2, 3, 4, 10].map(high)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([0, 1, 2, 3, 4, 10].map(low)).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('stays within [half, whole] of the capped exponential whatever the random draw', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3, 250, 10_000);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });

  it('treats a negative or huge attempt sanely', () => {
    expect(backoffDelay(-3, 100, 1_000, () => 1)).toBe(100);
    expect(backoffDelay(5_000, 100, 1_000, () => 1)).toBe(1_000);
  });
});
