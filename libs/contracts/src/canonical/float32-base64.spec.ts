import { base64ToFloat32, float32ToBase64 } from './float32-base64';

/** How the openai SDK decodes a base64 embedding (openai/internal/utils/base64.js, not exported): native byte order. */
const sdkDecode = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
};

describe('float32 base64', () => {
  it('writes little-endian float32 bytes, as OpenAI does', () => {
    // 1.0 is 0x3f800000: little-endian 00 00 80 3f. -2.5 is 0xc0200000.
    expect(Buffer.from(float32ToBase64([1, -2.5]), 'base64')).toEqual(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]));
    expect(float32ToBase64([])).toBe('');
  });

  it('rounds doubles to the nearest float32, and the openai SDK decodes what it writes', () => {
    const vector = [0.1, -0.123456789, 1e-8, 0.9999999];
    const decoded = sdkDecode(float32ToBase64(vector));
    expect(decoded).toEqual(vector.map(Math.fround));
  });

  it('round-trips bit for bit', () => {
    const original = new Float32Array([0.5, -0.25, 3.4028234663852886e38, -0, Number.MIN_VALUE]);
    const text = float32ToBase64(original);
    expect(float32ToBase64(base64ToFloat32(text))).toBe(text);
    expect(Object.is(base64ToFloat32(text)[3], -0)).toBe(true);
  });

  it('refuses what is not base64 of whole float32 values', () => {
    expect(() => base64ToFloat32('AAAA!AAA')).toThrow('not base64');
    expect(() => base64ToFloat32(Buffer.from([1, 2, 3]).toString('base64'))).toThrow('not a whole number');
  });
});
