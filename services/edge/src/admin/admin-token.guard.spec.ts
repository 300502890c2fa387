import { ExecutionContext, NotFoundException } from '@nestjs/common';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { EdgeConfig } from '../config/edge.config';
import { AdminTokenGuard, isAdminToken } from './admin-token.guard';

const TOKEN = 'a-very-secret-admin-token-of-forty-chars!';
const context = (authorization?: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }) }) }) as unknown as ExecutionContext;

describe('isAdminToken', () => {
  it('accepts the token and nothing else', () => {
    expect(isAdminToken(TOKEN, TOKEN)).toBe(true);
    for (const other of [undefined, '', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), ` ${TOKEN}`]) expect(isAdminToken(other, TOKEN)).toBe(false);
  });
});

describe('AdminTokenGuard', () => {
  const guard = new AdminTokenGuard({ ADMIN_TOKEN: TOKEN } as EdgeConfig);

  it('lets a request with the bearer token through, whatever the scheme case', () => {
    expect(guard.canActivate(context(`Bearer ${TOKEN}`))).toBe(true);
    expect(guard.canActivate(context(`bearer ${TOKEN}`))).toBe(true);
  });

  it.each([undefined, '', 'Bearer', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN} extra`, TOKEN])('refuses %j with 401', (authorization) => {
    let caught: unknown;
    try {
      guard.canActivate(context(authorization));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect([(caught as GatewayError).code, (caught as GatewayError).status]).toEqual([ErrorCode.InvalidApiKey, 401]);
  });

  it('makes the admin API not exist (404) when no token is configured, even for a request that sends one', () => {
    const closed = new AdminTokenGuard({} as EdgeConfig);
    expect(() => closed.canActivate(context(`Bearer ${TOKEN}`))).toThrow(NotFoundException);
    expect(() => closed.canActivate(context())).toThrow(NotFoundException);
  });
});
