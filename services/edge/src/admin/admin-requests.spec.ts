import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { addCreditSchema, createAccountSchema, createKeySchema, parseBody } from './admin-requests';

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('admin request bodies', () => {
  it('reads a full account request', () => {
    expect(parseBody(createAccountSchema, { name: ' Acme ', tier: 'enterprise', creditUsd: '12.5', rpmLimit: 5, tpmLimit: 1000 })).toEqual({
      name: 'Acme',
      tier: 'enterprise',
      creditUsd: '12.5',
      rpmLimit: 5,
      tpmLimit: 1000,
    });
  });

  it.each([
    [{ tier: 'pro' }, 'name'],
    [{ name: 'x', tier: 'gold' }, 'tier'],
    [{ name: 'x', tier: 'pro', creditUsd: 12.5 }, 'creditUsd'],
    [{ name: 'x', tier: 'pro', rpmLimit: 1.5 }, 'rpmLimit'],
    [{ name: 'x', tier: 'pro', credit: '5' }, 'credit'],
  ])('refuses %j naming %s', (body, param) => {
    const error = refusal(() => parseBody(createAccountSchema, body));
    expect([error.code, error.status, error.param]).toEqual([ErrorCode.InvalidRequest, 400, param]);
  });

  it('refuses a body that is not an object', () => {
    expect(refusal(() => parseBody(createAccountSchema, ['x'])).code).toBe(ErrorCode.InvalidRequest);
    expect(parseBody(createKeySchema, undefined)).toEqual({});
  });

  it('takes expiries as ISO instants with a zone or as dates, past ones included', () => {
    for (const expiresAt of ['2020-01-01T00:00:00Z', '2999-01-01T00:00:00.000+02:00', '2999-01-01']) {
      expect(parseBody(createKeySchema, { expiresAt }).expiresAt).toBe(expiresAt);
    }
    for (const expiresAt of ['tomorrow', '2999-01-01T00:00:00', 1_900_000_000]) {
      expect(refusal(() => parseBody(createKeySchema, { expiresAt })).param).toBe('expiresAt');
    }
  });

  it('takes credits as strings with an optional idempotency key', () => {
    expect(parseBody(addCreditSchema, { usd: '5', idempotencyKey: 'order-42:retry.1' })).toEqual({ usd: '5', idempotencyKey: 'order-42:retry.1' });
    expect(refusal(() => parseBody(addCreditSchema, { usd: 5 })).param).toBe('usd');
    expect(refusal(() => parseBody(addCreditSchema, { usd: '5', idempotencyKey: 'with space' })).param).toBe('idempotencyKey');
  });
});
