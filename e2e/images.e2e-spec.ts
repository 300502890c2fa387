import OpenAI, { toFile } from 'openai';
import { PNG } from 'pngjs';
import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(90_000);

/**
 * Images through the whole platform with the official `openai` SDK: POST /v1/images/generations and /edits →
 * edge (validation, rate limit, credit reserved for n images) → media-jobs (n Gemini generateContent calls in
 * parallel to the sandbox, which draws real PNGs) → images stored behind expiring signed URLs or returned as
 * base64 → one usage event → one ledger row (unit image, quantity = images delivered).
 */

/** Short, so the expiry test need not wait long; the downloads below happen right after generation. */
const MEDIA_TTL_SECONDS = 8;
const PRICE = 82_000n; // nano-banana-2: $0.082 per image
const UPSTREAM_MODEL = 'gemini-3.1-flash-image';

let platform: TestPlatform;
let sandbox: SandboxControl;

beforeAll(async () => {
  platform = await startTestPlatform({
    extraEnv: { MEDIA_URL_TTL_SECONDS: String(MEDIA_TTL_SECONDS) },
    // Gemini in the sandbox, with fast retries and no cool-down: the failure tests must not take the deployment out.
    routing: (sandboxUrl) => ({
      deployments: [{ name: 'google', provider: 'google', baseUrl: sandboxUrl, apiKeyEnv: 'GEMINI_API_KEY' }],
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
      cooldown: { failures: 1_000 },
    }),
  });
  sandbox = new SandboxControl(platform.sandboxUrl);
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

afterEach(async () => {
  await sandbox.faults([]);
});

async function account() {
  const created = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 });
  return { ...created, client: new OpenAI({ apiKey: created.apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 }) };
}

/** The gateway's own fields beside OpenAI's, as a client sends them. */
type GenerateParams = OpenAI.ImageGenerateParamsNonStreaming & { image_size?: string };
type EditParams = OpenAI.ImageEditParamsNonStreaming & { image_size?: string };

function decodePng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height };
}

async function download(url: string): Promise<Response> {
  // No Authorization header: the URL is the credential.
  return fetch(url);
}

/** A small PNG to edit, drawn here. */
function inputPng(width: number, height: number, shade: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(shade);
  return PNG.sync.write(png);
}

async function imageRows(accountId: string) {
  return (await ledgerRows(platform.prisma, accountId)).filter((row) => row.unit === 'image');
}

it('generates n=2 images as expiring URLs of real PNGs of the asked size, charged once for 2 images', async () => {
  const { accountId, client } = await account();
  await sandbox.clearRequests();

  const response = await client.images.generate({
    model: 'nano-banana-2',
    prompt: 'A majestic snow leopard on a mountain peak at sunrise',
    n: 2,
    size: '1536x1024',
    image_size: '2K',
  } as GenerateParams);

  expect(response.created).toBeGreaterThan(Date.now() / 1000 - 60);
  expect(response.data).toHaveLength(2);
  for (const image of response.data!) {
    expect(image.b64_json).toBeUndefined();
    const url = new URL(image.url!);
    expect(url.origin).toBe(platform.baseUrl);
    expect(url.pathname).toMatch(/^\/v1\/media\/[0-9a-f-]{36}$/);
    const expires = Number(url.searchParams.get('expires'));
    expect(expires).toBeGreaterThan(Date.now() / 1000);
    expect(expires).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + MEDIA_TTL_SECONDS);
    const res = await download(image.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    // 1536x1024 is 3:2; at 2K Gemini draws 2528x1696.
    expect(decodePng(Buffer.from(await res.arrayBuffer()))).toEqual({ width: 2528, height: 1696 });
  }

  // Two upstream calls, each asking Gemini for one image with the config that size and image_size make.
  const calls = (await sandbox.requests()).filter((r) => r.path.includes(`${UPSTREAM_MODEL}:generateContent`));
  expect(calls).toHaveLength(2);
  for (const call of calls) {
    expect(call.body).toMatchObject({ generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:2', imageSize: '2K' } } });
  }

  const [row] = await waitFor(
    () => imageRows(accountId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(row).toMatchObject({
    model: 'nano-banana-2',
    unit: 'image',
    quantity: 2n,
    unitPriceMicros: PRICE,
    amountMicros: -2n * PRICE,
    inputTokens: 0,
    outputTokens: 0,
  });
});

it('returns b64_json inline: 1K square without a size, and the shape of a size at its own resolution', async () => {
  const { client } = await account();
  const square = await client.images.generate({ model: 'nano-banana-2', prompt: 'a red fox', response_format: 'b64_json' });
  expect(square.data).toHaveLength(1);
  expect(square.data![0].url).toBeUndefined();
  expect(decodePng(Buffer.from(square.data![0].b64_json!, 'base64'))).toEqual({ width: 1024, height: 1024 });

  // 1792x1024 is 16:9 and under 2 MP, so 1K: 1376x768.
  const wide = await client.images.generate({ model: 'nano-banana-2', prompt: 'a red fox', size: '1792x1024', response_format: 'b64_json' });
  expect(decodePng(Buffer.from(wide.data![0].b64_json!, 'base64'))).toEqual({ width: 1376, height: 768 });
});

it('edits one image (multipart, as the SDK uploads it): the image reaches Gemini and the result keeps its shape', async () => {
  const { accountId, client } = await account();
  await sandbox.clearRequests();
  const source = inputPng(160, 90, 40);

  const response = await client.images.edit({
    model: 'nano-banana-2',
    prompt: 'Make it night time',
    image: await toFile(source, 'scene.png', { type: 'image/png' }),
    response_format: 'b64_json',
  } as EditParams);

  expect(response.data).toHaveLength(1);
  // No size: Gemini keeps the 16:9 input's shape.
  expect(decodePng(Buffer.from(response.data![0].b64_json!, 'base64'))).toEqual({ width: 1376, height: 768 });
  const [call] = (await sandbox.requests()).filter((r) => r.path.includes(':generateContent'));
  const parts = (call.body as { contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string } }[] }[] }).contents[0].parts;
  expect(parts[0]).toEqual({ text: 'Make it night time' });
  expect(parts[1].inlineData?.mimeType).toBe('image/png');
  expect(Buffer.from(parts[1].inlineData!.data, 'base64').equals(source)).toBe(true);
  await waitFor(
    () => imageRows(accountId),
    (rows) => rows.length === 1 && rows[0].quantity === 1n,
    15_000,
  );
});

it('edits several images into one, at the asked size, with a URL', async () => {
  const { client } = await account();
  await sandbox.clearRequests();
  const sources = [inputPng(32, 32, 10), inputPng(48, 32, 120), inputPng(32, 48, 230)];

  const response = await client.images.edit({
    model: 'nano-banana-2',
    prompt: 'Combine these three into one poster',
    image: await Promise.all(sources.map((bytes, i) => toFile(bytes, `in-${i}.png`, { type: 'image/png' }))),
    size: '1024x1024',
    image_size: '1K',
  } as EditParams);

  const res = await download(response.data![0].url!);
  expect(res.status).toBe(200);
  expect(decodePng(Buffer.from(await res.arrayBuffer()))).toEqual({ width: 1024, height: 1024 });
  const [call] = (await sandbox.requests()).filter((r) => r.path.includes(':generateContent'));
  const parts = (call.body as { contents: { parts: { inlineData?: { data: string } }[] }[] }).contents[0].parts;
  expect(parts.slice(1).map((p) => Buffer.from(p.inlineData!.data, 'base64'))).toEqual(sources);
});

it('a failed generation returns an error and adds no ledger row; a later success adds exactly one', async () => {
  const { accountId, client } = await account();
  // Every attempt fails (the router's retries included).
  await sandbox.faults([{ match: { model: UPSTREAM_MODEL }, kind: 'status', status: 500 }]);

  const error = (await client.images.generate({ model: 'nano-banana-2', prompt: 'doomed', n: 2 }).catch((e: unknown) => e)) as InstanceType<
    typeof OpenAI.APIError
  >;
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error.status).toBe(503);
  expect(error.error).toMatchObject({ type: 'service_unavailable' });

  await sandbox.faults([]);
  await client.images.generate({ model: 'nano-banana-2', prompt: 'fine', response_format: 'b64_json' });
  // The success's row arrives; had the failure been billed, its row would be there as well by then.
  const rows = await waitFor(
    () => imageRows(accountId),
    (r) => r.length >= 1,
    15_000,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await imageRows(accountId)).toHaveLength(1);
  expect(rows[0]).toMatchObject({ quantity: 1n, amountMicros: -PRICE });
});

it('delivers and charges only the images that succeeded when some calls fail', async () => {
  const { accountId, client } = await account();
  // One call refused as the caller's fault (never retried); the other goes through.
  await sandbox.faults([{ match: { model: UPSTREAM_MODEL }, kind: 'status', status: 400, times: 1 }]);

  const response = await client.images.generate({ model: 'nano-banana-2', prompt: 'half of it', n: 2, response_format: 'b64_json' });
  expect(response.data).toHaveLength(1);
  const [row] = await waitFor(
    () => imageRows(accountId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(row).toMatchObject({ quantity: 1n, amountMicros: -PRICE });
});

it('refuses what it cannot honour before any upstream call, with OpenAI-shaped 400s', async () => {
  const { client } = await account();
  await sandbox.clearRequests();
  const cases: [GenerateParams, string][] = [
    [{ model: 'nano-banana-2', prompt: 'x', image_size: '8K' }, 'image_size'],
    [{ model: 'nano-banana-2', prompt: 'x', size: '3000x1000' as never }, 'size'],
    [{ model: 'nano-banana-2', prompt: 'x', n: 11 }, 'n'],
    [{ model: 'gpt-4.1', prompt: 'x' }, 'model'],
  ];
  for (const [params, param] of cases) {
    const error = (await client.images.generate(params).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(param === 'model' ? 404 : 400);
    expect(error.error).toMatchObject({ param });
  }
  expect((await sandbox.requests()).filter((r) => r.path.includes(':generateContent'))).toHaveLength(0);
});

it('serves a URL only as signed, until it expires; a deleted image is 404', async () => {
  const { client } = await account();
  const { data } = await client.images.generate({ model: 'nano-banana-2', prompt: 'a short-lived lighthouse', n: 2 });
  const [first, second] = data!.map((image) => new URL(image.url!));
  expect((await download(first.href)).status).toBe(200);

  const forged = new URL(first.href);
  forged.searchParams.set('expires', String(Number(first.searchParams.get('expires')) + 3_600));
  const refused = await download(forged.href);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { type: 'permission_error', message: expect.any(String) } });
  expect((await download(`${first.origin}${first.pathname}`)).status).toBe(403);

  await platform.prisma.mediaObject.delete({ where: { id: second.pathname.split('/').pop()! } });
  const gone = await download(second.href);
  expect(gone.status).toBe(404);
  expect(await gone.json()).toMatchObject({ error: { type: 'not_found_error' } });

  const expires = Number(first.searchParams.get('expires'));
  await new Promise((r) => setTimeout(r, Math.max(0, expires * 1000 - Date.now()) + 100));
  const expired = await download(first.href);
  expect(expired.status).toBe(403);
  expect(await expired.json()).toMatchObject({ error: { type: 'permission_error', message: 'This media URL has expired.' } });
});
