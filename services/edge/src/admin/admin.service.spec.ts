import pino from 'pino';
import { ModelCatalog } from '@apitopmix/catalog';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { hashApiKey } from '@apitopmix/platform/prisma';
import { KeyRevocationService } from '../auth/key-revocation.service';
import { LedgerClient } from '../ledger/ledger.client';
import { AdminRepository } from './admin.repository';
import { AdminService } from './admin.service';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';

function setup(overrides: { addCredit?: jest.Mock; deleteAccountWithoutLedger?: jest.Mock } = {}) {
  const repository = {
    createAccount: jest.fn(async () => ({ id: ACCOUNT })),
    deleteAccountWithoutLedger: overrides.deleteAccountWithoutLedger ?? jest.fn(async () => true),
    createKey: jest.fn(async (key: { accountId: string; keyHash: string; prefix: string; allowedModels: string[] }) => ({
      id: 'key-1',
      accountId: key.accountId,
      name: null,
      prefix: key.prefix,
      allowedModels: key.allowedModels,
      expiresAt: null,
      revokedAt: null,
      createdAt: new Date(),
      lastUsedAt: null,
    })),
    findAccount: jest.fn(async () => ({
      id: ACCOUNT,
      name: 'Acme',
      tier: 'PRO',
      status: 'ACTIVE',
      balanceMicros: 0n,
      rpmLimit: null,
      tpmLimit: null,
      createdAt: new Date(),
    })),
  };
  const ledger = {
    addCredit:
      overrides.addCredit ??
      jest.fn(async (r: { amountMicros: string }) => ({
        accountId: ACCOUNT,
        eventId: 'e',
        amountMicros: r.amountMicros,
        balanceMicros: r.amountMicros,
        applied: true,
      })),
  };
  const service = new AdminService(
    repository as unknown as AdminRepository,
    ledger as unknown as LedgerClient,
    { announce: jest.fn() } as unknown as KeyRevocationService,
    new ModelCatalog(),
    pino({ level: 'silent' }),
  );
  return { service, repository, ledger };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('AdminService', () => {
  it('creates an account, credits it exactly through billing once, and stores only the hash and prefix of its key', async () => {
    const { service, repository, ledger } = setup();
    const created = await service.createAccount({ name: 'Acme', tier: 'pro', creditUsd: '12.345678' });
    expect(ledger.addCredit).toHaveBeenCalledWith({ accountId: ACCOUNT, amountMicros: '12345678', idempotencyKey: `account:${ACCOUNT}:initial` });
    const stored = repository.createKey.mock.calls[0][0];
    expect(stored).toMatchObject({ keyHash: hashApiKey(created.apiKey), prefix: created.apiKey.slice(0, 12) });
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);
    expect(created).toMatchObject({ accountId: ACCOUNT, balance: { usd: '12.345678', micros: '12345678' } });
  });

  it('does not call billing for an account without credit', async () => {
    const { service, ledger } = setup();
    await service.createAccount({ name: 'Acme', tier: 'free' });
    expect(ledger.addCredit).not.toHaveBeenCalled();
  });

  it('removes the new account again when its initial credit fails, and reports the failure', async () => {
    const failure = new GatewayError(ErrorCode.ServiceUnavailable, 'billing is unavailable');
    const { service, repository } = setup({ addCredit: jest.fn(async () => Promise.reject(failure)) });
    await expect(service.createAccount({ name: 'Acme', tier: 'pro', creditUsd: '5' })).rejects.toBe(failure);
    expect(repository.deleteAccountWithoutLedger).toHaveBeenCalledWith(ACCOUNT);
    expect(repository.createKey).not.toHaveBeenCalled();
  });

  it('keeps the account and carries on when the credit failed to answer but its ledger row exists', async () => {
    const { service, repository } = setup({
      addCredit: jest.fn(async () => Promise.reject(new GatewayError(ErrorCode.ServiceUnavailable, 'billing did not answer in time'))),
      deleteAccountWithoutLedger: jest.fn(async () => false),
    });
    await expect(service.createAccount({ name: 'Acme', tier: 'pro', creditUsd: '5' })).resolves.toMatchObject({ accountId: ACCOUNT });
    expect(repository.createKey).toHaveBeenCalled();
  });

  it.each([
    [{ name: 'x', tier: 'pro' as const, rpmLimit: 5 }, 'rpmLimit'],
    [{ name: 'x', tier: 'standard' as const, tpmLimit: 5 }, 'tpmLimit'],
    [{ name: 'x', tier: 'pro' as const, creditUsd: '1.0000001' }, 'creditUsd'],
    [{ name: 'x', tier: 'pro' as const, creditUsd: '1000000000.000001' }, 'creditUsd'],
  ])('refuses %j before writing anything', async (request, param) => {
    const { service, repository } = setup();
    expect((await refusal(service.createAccount(request))).param).toBe(param);
    expect(repository.createAccount).not.toHaveBeenCalled();
  });

  it('stores allow-lists by catalog id and refuses unknown models', async () => {
    const { service, repository } = setup();
    await service.createKey(ACCOUNT, { allowedModels: ['models/gemini-3-flash-preview', 'gpt-4.1', 'gpt-4.1'] });
    expect(repository.createKey.mock.calls[0][0].allowedModels).toEqual(['gemini-3-flash-preview', 'gpt-4.1']);
    expect((await refusal(service.createKey(ACCOUNT, { allowedModels: ['gpt-4.1', 'nope'] }))).param).toBe('allowedModels.1');
  });

  it('refuses a zero credit and answers 404 for ids that are not UUIDs', async () => {
    const { service } = setup();
    expect((await refusal(service.addCredit(ACCOUNT, { usd: '0' }))).param).toBe('usd');
    expect((await refusal(service.addCredit('nope', { usd: '1' }))).code).toBe(ErrorCode.NotFound);
    expect((await refusal(service.revokeKey('nope'))).code).toBe(ErrorCode.NotFound);
  });

  it("names billing's refusals in the admin API's camelCase", async () => {
    const { service } = setup({ addCredit: jest.fn(async () => Promise.reject(GatewayError.invalid('reused', 'idempotency_key'))) });
    expect((await refusal(service.addCredit(ACCOUNT, { usd: '1', idempotencyKey: 'k' }))).param).toBe('idempotencyKey');
  });
});
