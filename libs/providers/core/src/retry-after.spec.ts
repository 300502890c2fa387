import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { retryAfterSeconds, withRetryAfter } from './retry-after';

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterSeconds({ 'retry-after': '20' }, now)).toBe(20);
    expect(retryAfterSeconds({ 'retry-after': '1.5' }, now)).toBe(1.5);
    expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }, now)).toBe(30);
    expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(retryAfterSeconds({})).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': '' })).toBeUndefined();
  });

  it('attaches the value to an error, keeping the rest of it', () => {
    const error = withRetryAfter(new GatewayError(ErrorCode.UpstreamUnavailable, 'busy'), { 'retry-after': '3' });
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, message: 'busy', retryAfterSeconds: 3, status: 503 });
  });
});
