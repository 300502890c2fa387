import { fullLimitState, retryAfterSeconds, toLimitState } from './limit-state';

describe('toLimitState', () => {
  it('floors the remaining count and rounds the time to full up to whole seconds', () => {
    // 10 RPM refills one request every 6 s: 6.5 left means 3.5 missing, 21 s to full.
    expect(toLimitState(10, 6.5)).toEqual({ limit: 10, remaining: 6, resetSeconds: 21 });
    expect(toLimitState(10, 9.999)).toEqual({ limit: 10, remaining: 9, resetSeconds: 1 });
  });

  it('reports a full bucket as no wait and an empty one as a whole minute', () => {
    expect(toLimitState(1000, 1000)).toEqual({ limit: 1000, remaining: 1000, resetSeconds: 0 });
    expect(toLimitState(1000, 0)).toEqual({ limit: 1000, remaining: 0, resetSeconds: 60 });
  });

  it('clamps levels outside [0, limit] (a limit lowered since the level was stored)', () => {
    expect(toLimitState(10, 50)).toEqual({ limit: 10, remaining: 10, resetSeconds: 0 });
    expect(toLimitState(10, -0.5)).toEqual({ limit: 10, remaining: 0, resetSeconds: 60 });
  });

  it('reports an unlimited dimension (limit 0) as zeros', () => {
    expect(toLimitState(0, 123)).toEqual({ limit: 0, remaining: 0, resetSeconds: 0 });
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up and never answers less than one second', () => {
    expect(retryAfterSeconds(5.0001)).toBe(6);
    expect(retryAfterSeconds(6)).toBe(6);
    expect(retryAfterSeconds(0.000001)).toBe(1);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});

describe('fullLimitState', () => {
  it('reports the whole limit', () => {
    expect(fullLimitState(60)).toEqual({ limit: 60, remaining: 60, resetSeconds: 0 });
  });
});
