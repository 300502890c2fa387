import pino from 'pino';
import { Registry } from 'prom-client';
import { AuthService } from './auth.service';
import { KeyRevocationService } from './key-revocation.service';
import { RevocationChannel } from './revocation-channel';

const hash = 'a'.repeat(64);

function setup(channel?: Partial<RevocationChannel>) {
  const forget = jest.fn();
  let listener: ((keyHash: string) => void) | undefined;
  const fake: RevocationChannel | undefined = channel && {
    publish: async () => undefined,
    onMessage: (l) => {
      listener = l;
    },
    close: async () => undefined,
    ...channel,
  };
  const service = new KeyRevocationService({ forget } as unknown as AuthService, pino({ level: 'silent' }), new Registry(), fake);
  service.onModuleInit();
  return { service, forget, deliver: (message: string) => listener?.(message) };
}

describe('KeyRevocationService', () => {
  it('evicts the key here at once and announces it', async () => {
    const publish = jest.fn(async () => undefined);
    const { service, forget } = setup({ publish });
    await expect(service.announce(hash)).resolves.toBe(true);
    expect(forget).toHaveBeenCalledWith(hash);
    expect(publish).toHaveBeenCalledWith(hash);
  });

  it('evicts an announced key when the message arrives', () => {
    const { forget, deliver } = setup({});
    deliver(hash);
    expect(forget).toHaveBeenCalledWith(hash);
  });

  it('ignores messages that are not a key hash', () => {
    const { forget, deliver } = setup({});
    for (const message of ['', 'A'.repeat(64), `${hash}0`, 'sk-atm-something']) deliver(message);
    expect(forget).not.toHaveBeenCalled();
  });

  it('still evicts here, and says the others were not told, when publishing fails', async () => {
    const { service, forget } = setup({ publish: async () => Promise.reject(new Error('Connection is closed.')) });
    await expect(service.announce(hash)).resolves.toBe(false);
    expect(forget).toHaveBeenCalledWith(hash);
  });

  it('works without a channel (no REDIS_URL): local eviction only', async () => {
    const { service, forget } = setup();
    await expect(service.announce(hash)).resolves.toBe(false);
    expect(forget).toHaveBeenCalledWith(hash);
  });
});
