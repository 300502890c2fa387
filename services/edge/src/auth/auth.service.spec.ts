import pino from 'pino';
import { Registry } from 'prom-client';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { hashApiKey } from '@apitopmix/platform/prisma';
import { toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { EdgeConfig } from '../config/edge.config';
import { ApiKeyRepository, KeyRecord } from './api-key.repository';
import { AuthService } from './auth.service';

const record = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  apiKeyId: 'key-1',
  accountId: 'account-1',
  tier: 'PRO',
  accountActive: true,
  rpmLimit: null,
  tpmLimit: null,
  allowedModels: [],
  expiresAt: null,
  revoked: false,
  balanceMicros: 0n,
  balanceSeq: 0n,
  ...overrides,
});

function service(records: Record<string, KeyRecord | 'fail' | 'hang'>, config: Partial<EdgeConfig> = {}) {
  const findByHash = jest.fn(async (hash: string) => {
    const found = Object.entries(records).find(([key]) => hashApiKey(key) === hash)?.[1];
    if (found === 'fail') throw new Error('connection refused');
    if (found === 'hang') return new Promise<never>(() => undefined);
    return found;
  });
  const auth = new AuthService(
    { findByHash } as unknown as ApiKeyRepository,
    { KEY_CACHE_TTL_MS: 2_000, KEY_LOOKUP_TIMEOUT_MS: 2_000, ...config } as EdgeConfig,
    pino({ level: 'silent' }),
    new Registry(),
  );
  return { auth, findByHash };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('AuthService', () => {
  it('resolves a good key to its caller', async () => {
    const { auth } = service({ 'sk-good': record({ allowedModels: ['gpt-4.1'] }) });
    await expect(auth.authenticate('sk-good')).resolves.toMatchObject({ apiKeyId: 'key-1', accountId: 'account-1', allowedModels: ['gpt-4.1'] });
  });

  it('answers unknown, revoked and expired keys with the same error, byte for byte', async () => {
    const { auth } = service({
      'sk-revoked': record({ revoked: true }),
      'sk-expired': record({ expiresAt: new Date(Date.now() - 1) }),
    });
    const errors = await Promise.all(['sk-unknown', 'sk-revoked', 'sk-expired'].map((key) => failure(auth.authenticate(key))));
    const bodies = errors.map((error) => JSON.stringify(toOpenAiError(error)));
    expect(errors.map((e) => [e.code, e.status])).toEqual(Array(3).fill([ErrorCode.InvalidApiKey, 401]));
    expect(new Set(bodies).size).toBe(1);
  });

  it('answers a suspended account with 403, after the key checks', async () => {
    const { auth } = service({ 'sk-suspended': record({ accountActive: false }), 'sk-both': record({ accountActive: false, revoked: true }) });
    expect((await failure(auth.authenticate('sk-suspended'))).status).toBe(403);
    expect((await failure(auth.authenticate('sk-both'))).status).toBe(401);
  });

  it('forget() makes the next request read the key again', async () => {
    const records: Record<string, KeyRecord> = { 'sk-k': record() };
    const { auth, findByHash } = service(records);
    await auth.authenticate('sk-k');
    await auth.authenticate('sk-k');
    expect(findByHash).toHaveBeenCalledTimes(1);
    records['sk-k'] = record({ revoked: true });
    auth.forget(hashApiKey('sk-k'));
    expect((await failure(auth.authenticate('sk-k'))).code).toBe(ErrorCode.InvalidApiKey);
    expect(findByHash).toHaveBeenCalledTimes(2);
  });

  it('answers 503 when Postgres fails and the key was never seen', async () => {
    const { auth } = service({ 'sk-k': 'fail' });
    expect((await failure(auth.authenticate('sk-k'))).code).toBe(ErrorCode.ServiceUnavailable);
  });

  it('gives up a lookup after KEY_LOOKUP_TIMEOUT_MS', async () => {
    const { auth } = service({ 'sk-k': 'hang' }, { KEY_LOOKUP_TIMEOUT_MS: 30 });
    const started = Date.now();
    expect((await failure(auth.authenticate('sk-k'))).code).toBe(ErrorCode.ServiceUnavailable);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('401 without a key is a different error (missing_api_key)', async () => {
    const { auth } = service({});
    expect((await failure(auth.authenticate(undefined))).code).toBe(ErrorCode.MissingApiKey);
  });
});
