import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { parseSince, renderAdminUsage, renderPublicUsage, toUsageReport } from './usage-report';

const report = toUsageReport({
  accountId: 'acc',
  balanceMicros: '99999220',
  since: '2026-11-01T00:00:00.000Z',
  rows: [
    { model: 'gpt-4.1', day: '2026-11-24', requests: '2', inputTokens: '20', outputTokens: '40', costMicros: '360' },
    { model: 'meta/llama-3.3-70b-instruct', day: '2026-11-24', requests: '1', inputTokens: '5', outputTokens: '7', costMicros: '0' },
    { model: 'gpt-4.1', day: '2026-11-25', requests: '3', inputTokens: '30', outputTokens: '60', costMicros: '420' },
  ],
});

describe('usage reports', () => {
  it('totals every row exactly', () => {
    expect(report.total).toEqual({ requests: 6, inputTokens: 55, outputTokens: 107, costMicros: 780n });
  });

  it('renders the documented /v1/usage body', () => {
    expect(renderPublicUsage(report)).toEqual({
      object: 'usage',
      account_id: 'acc',
      since: '2026-11-01T00:00:00.000Z',
      balance: { usd: '99.99922', micros: '99999220' },
      total: { requests: 6, input_tokens: 55, output_tokens: 107, cost: { usd: '0.00078', micros: '780' } },
      data: [
        { date: '2026-11-24', model: 'gpt-4.1', requests: 2, input_tokens: 20, output_tokens: 40, cost: { usd: '0.00036', micros: '360' } },
        { date: '2026-11-24', model: 'meta/llama-3.3-70b-instruct', requests: 1, input_tokens: 5, output_tokens: 7, cost: { usd: '0.00', micros: '0' } },
        { date: '2026-11-25', model: 'gpt-4.1', requests: 3, input_tokens: 30, output_tokens: 60, cost: { usd: '0.00042', micros: '420' } },
      ],
    });
  });

  it('renders the admin body in camelCase with the same numbers', () => {
    const admin = renderAdminUsage(report);
    expect(admin.total).toEqual({ requests: 6, inputTokens: 55, outputTokens: 107, cost: { usd: '0.00078', micros: '780' } });
    expect(admin.data[0]).toEqual({
      date: '2026-11-24',
      model: 'gpt-4.1',
      requests: 2,
      inputTokens: 20,
      outputTokens: 40,
      cost: { usd: '0.00036', micros: '360' },
    });
    expect(admin).toMatchObject({ accountId: 'acc', balance: { usd: '99.99922', micros: '99999220' } });
  });

  it('an empty report totals zero', () => {
    const empty = toUsageReport({ accountId: 'a', balanceMicros: '0', since: 's', rows: [] });
    expect(renderPublicUsage(empty).total).toEqual({ requests: 0, input_tokens: 0, output_tokens: 0, cost: { usd: '0.00', micros: '0' } });
  });
});

describe('parseSince', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T12:30:00Z', '2026-11-01T12:30:00.000Z'],
    ['2026-11-01T12:30Z', '2026-11-01T12:30:00.000Z'],
    ['2026-11-01T12:30:00.123+02:00', '2026-11-01T10:30:00.123Z'],
  ])('reads %s', (value, iso) => {
    expect(parseSince(value)?.toISOString()).toBe(iso);
  });

  it('is undefined when absent', () => {
    expect(parseSince(undefined)).toBeUndefined();
    expect(parseSince('')).toBeUndefined();
  });

  it.each(['yesterday', '2026-11-01T12:30:00', '2026-02-31', '2026-13-01', '11/01/2026', '1700000000', ['2026-11-01']])(
    'refuses %j as 400 naming the parameter',
    (value) => {
      let caught: unknown;
      try {
        parseSince(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).code).toBe(ErrorCode.InvalidRequest);
      expect((caught as GatewayError).param).toBe('since');
    },
  );
});
