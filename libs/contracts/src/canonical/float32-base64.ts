/**
 * OpenAI's `encoding_format: "base64"`: a vector's float32 values, little-endian, base64-encoded. What the `openai`
 * SDKs ask for by default and decode with `Float32Array`. Explicitly little-endian here, whatever the machine.
 */

export function float32ToBase64(vector: ArrayLike<number>): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i], i * 4);
  return bytes.toString('base64');
}

/** The vector in `base64`; throws on text that is not base64 of whole float32 values. */
export function base64ToFloat32(base64: string): Float32Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('not base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new Error(`${bytes.length} bytes is not a whole number of float32 values`);
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
