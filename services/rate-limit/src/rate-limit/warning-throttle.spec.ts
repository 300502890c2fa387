import { WarningThrottle } from './warning-throttle';

describe('WarningThrottle', () => {
  it('lets the first warning through, then one per interval', () => {
    let now = 5_000;
    const throttle = new WarningThrottle(10_000, () => now);
    expect(throttle.shouldWarn()).toBe(true);
    now += 9_999;
    expect(throttle.shouldWarn()).toBe(false);
    now += 1;
    expect(throttle.shouldWarn()).toBe(true);
    expect(throttle.shouldWarn()).toBe(false);
  });
});
