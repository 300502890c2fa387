import { MediaUrlSigner } from './media-url-signer';

const id = '3f1c2a7b-9e41-4a8e-9d0e-5b0c6d5e0d6a';
const key = 'k'.repeat(32);

function parts(path: string): { id: string; expires: string; sig: string } {
  const url = new URL(path, 'http://gateway.test');
  return { id: decodeURIComponent(url.pathname.split('/').pop()!), expires: url.searchParams.get('expires')!, sig: url.searchParams.get('sig')! };
}

describe('MediaUrlSigner', () => {
  let now = Date.parse('2026-11-25T12:00:00Z');
  const signer = new MediaUrlSigner(key, () => now);
  const expiresAt = now / 1000 + 60;

  beforeEach(() => (now = Date.parse('2026-11-25T12:00:00Z')));

  it('makes /v1/media/{id}?expires=&sig= URLs that check as valid until they expire', () => {
    const path = signer.path(id, expiresAt);
    expect(path).toMatch(new RegExp(`^/v1/media/${id}\\?expires=${expiresAt}&sig=[A-Za-z0-9_-]{43}$`));
    const url = parts(path);
    expect(signer.check(url.id, url.expires, url.sig)).toBe('valid');
    now = expiresAt * 1000 - 1;
    expect(signer.check(url.id, url.expires, url.sig)).toBe('valid');
    now = expiresAt * 1000;
    expect(signer.check(url.id, url.expires, url.sig)).toBe('expired');
  });

  it('refuses a URL whose id, expiry or signature was changed', () => {
    const url = parts(signer.path(id, expiresAt));
    expect(signer.check(id.replace('3f', '4f'), url.expires, url.sig)).toBe('invalid');
    expect(signer.check(url.id, String(expiresAt + 3600), url.sig)).toBe('invalid');
    expect(signer.check(url.id, url.expires, `${url.sig.slice(0, -1)}${url.sig.endsWith('A') ? 'B' : 'A'}`)).toBe('invalid');
    expect(signer.check(url.id, url.expires, url.sig.slice(1))).toBe('invalid');
  });

  it('refuses a signature made with another key, and an expired URL is still invalid when forged', () => {
    const other = parts(new MediaUrlSigner('o'.repeat(32), () => now).path(id, expiresAt));
    expect(signer.check(other.id, other.expires, other.sig)).toBe('invalid');
    const old = parts(new MediaUrlSigner('o'.repeat(32), () => now).path(id, expiresAt - 3600));
    expect(signer.check(old.id, old.expires, old.sig)).toBe('invalid');
  });

  it.each([
    [undefined, 'sig'],
    ['123', undefined],
    ['-5', 'sig'],
    ['1e12', 'sig'],
    [['1', '2'], 'sig'],
    ['12345678901234', 'sig'],
  ])('refuses malformed query values (%j, %j)', (expires, sig) => {
    expect(signer.check(id, expires, sig)).toBe('invalid');
  });
});
