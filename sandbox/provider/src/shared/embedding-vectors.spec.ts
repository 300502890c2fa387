import { defaultEmbeddingDimensions, embeddingVector, float32Base64 } from './embedding-vectors';

const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('embeddingVector', () => {
  it('is deterministic, unit-length float32, and differs by input', () => {
    const a = embeddingVector('The quick brown fox', 1536);
    expect(embeddingVector('The quick brown fox', 1536)).toEqual(a);
    expect(a).toHaveLength(1536);
    expect(norm(a)).toBeCloseTo(1, 6);
    expect(a.every((v) => Math.fround(v) === v)).toBe(true);
    expect(embeddingVector('The quick brown fox!', 1536)).not.toEqual(a);
    expect(embeddingVector([791, 4062, 14198], 1536)).not.toEqual(a);
  });

  it('gives, for fewer dimensions, the normalised prefix of the full vector', () => {
    const full = embeddingVector('shorten me', 3072);
    const short = embeddingVector('shorten me', 256);
    const prefix = full.slice(0, 256);
    const scale = norm(prefix);
    short.forEach((v, i) => expect(v).toBeCloseTo(prefix[i] / scale, 6));
    expect(norm(short)).toBeCloseTo(1, 6);
  });

  it('knows the real models’ lengths', () => {
    expect(defaultEmbeddingDimensions('text-embedding-3-large')).toBe(3072);
    expect(defaultEmbeddingDimensions('text-embedding-3-small')).toBe(1536);
    expect(defaultEmbeddingDimensions('text-embedding-ada-002')).toBe(1536);
    expect(defaultEmbeddingDimensions('gemini-embedding-001')).toBe(3072);
    expect(defaultEmbeddingDimensions('text-embedding-004')).toBe(768);
  });

  it('encodes base64 as little-endian float32', () => {
    expect(Buffer.from(float32Base64([1, -2.5]), 'base64')).toEqual(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]));
  });
});
